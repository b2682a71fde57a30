import * as Comlink from 'comlink';
import { createSizingWorker } from './sizing.ts';

Comlink.expose(createSizingWorker());
