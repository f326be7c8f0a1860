import { defineNodeMatrix } from './node-matrix';

// Every node config on containerd 1.7 (see node-matrix.ts).
defineNodeMatrix('1.7');
