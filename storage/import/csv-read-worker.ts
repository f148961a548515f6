import { parentPort } from 'node:worker_threads';
import { readCsvFile } from './csv-read.js';
import { errorMessage, parsedMessage, type ReadRequest } from './csv-read-thread.js';

// The thread of a `CsvReadThread`: reads the files it is handed, one at a time, in order.
const port = parentPort!;
port.on('message', ({ id, options }: ReadRequest) => {
  readCsvFile(options).then(
    (parsed) => {
      const { answer, transfer } = parsedMessage(id, parsed);
      port.postMessage(answer, transfer);
    },
    (error: unknown) => port.postMessage(errorMessage(id, error)),
  );
});
port.postMessage({ ready: true });
