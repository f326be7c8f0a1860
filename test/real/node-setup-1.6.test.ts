import { defineNodeMatrix } from './node-matrix';

// Every node config on containerd 1.6 (see node-matrix.ts).
defineNodeMatrix('1.6');
