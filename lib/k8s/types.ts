// The low-level Kubernetes 1.28 types that cdk8s-plus-28 ships (`cdk8s import k8s` needs the internet).
// Imported from the module itself rather than the package index, so that synth does not load
// all of cdk8s-plus.
export * from 'cdk8s-plus-28/lib/imports/k8s';
