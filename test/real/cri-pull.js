// Pulls an image through containerd's CRI image service, the path kubelet uses.
// Usage: node cri-pull.js <socket> <image>; prints JSON {ok, imageRef | error}.
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');
const path = require('node:path');

const [socket, image] = process.argv.slice(2);
const definition = loader.loadSync(path.join(__dirname, 'cri-image-service.proto'));
const { ImageService } = grpc.loadPackageDefinition(definition).runtime.v1;
const client = new ImageService(`unix://${socket}`, grpc.credentials.createInsecure());
client.PullImage({ image: { image } }, { deadline: Date.now() + 20000 }, (error, response) => {
  process.stdout.write(
    JSON.stringify(
      error
        ? { ok: false, error: error.details || error.message }
        : { ok: true, imageRef: response.image_ref },
    ) + '\n',
  );
  client.close();
});
