import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';

type SynthChart = (chart: Chart) => unknown[];
const app_ = App as unknown as { _synthChart: SynthChart };

/** The API objects of one chart in dependency order, as cdk8s 2.70's `chartToKube` lists them. */
function chartObjects(chart: Chart): unknown[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => x instanceof ApiObject)
    .filter((x) => Chart.of(x) === chart)
    .map((x) => x.toJson());
}

/**
 * `app.synth()`, with the app-wide work done once. cdk8s 2.70 resolves the dependencies of, and
 * validates, the whole app again for every chart it writes (`App._synthChart`): quadratic in the
 * number of charts, most of a 100-app synth (issue 11). Here the first chart does it and the others
 * reuse it; both passes are pure functions of the construct tree, which writing does not change.
 * The bytes are those of `app.synth()` (test/synth-once.test.ts).
 */
export function synthOnce(app: App): void {
  const original = app_._synthChart;
  let prepared = false;
  app_._synthChart = (chart) => {
    if (prepared) return chartObjects(chart);
    prepared = true;
    return original.call(App, chart);
  };
  try {
    app.synth();
  } finally {
    app_._synthChart = original;
  }
}
