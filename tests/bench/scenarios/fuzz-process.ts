/**
 * The fuzzer in a process of its own, so that its CPU does not slow the bench's honest clients: started with
 * IPC by `fuzz.ts`, it fuzzes until told `stop`, then sends its report and exits.
 */
import { fuzzEndpoint, type FuzzOptions } from '../../helpers/collab-fuzz';

const opts = JSON.parse(process.argv[2]) as Omit<FuzzOptions, 'stop'>;
let stopping = false;
process.on('message', (m) => {
	if (m === 'stop') stopping = true;
});
const report = await fuzzEndpoint({ ...opts, stop: () => stopping });
process.send!(report, () => process.exit(0));
