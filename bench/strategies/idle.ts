// The smallest job a sweep can run: a strategy that only watches. What a job costs beyond
// its run is the sweep's overhead.
import { defineStrategy } from 'tapedeck';

export default defineStrategy({
  name: 'idle',
  params: { n: 0 },
  symbols: ['S000'],
  streams: ['1m'],
});
