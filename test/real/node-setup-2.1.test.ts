import { defineNodeMatrix } from './node-matrix';

// Every node config on containerd 2.1 (see node-matrix.ts).
defineNodeMatrix('2.1');
