import { BadRequest, fields } from '../http/json-body';
import { LIMITS } from '../../plan';
import { MEASURE_ACTIONS, type MeasureActionInput } from './actions';

/** `{ action, personId?, reason?, interimMeasure?, counter? }` from a JSON body; unknown fields are refused. */
export function readMeasureActionJson(body: Record<string, unknown>): MeasureActionInput {
	const f = fields(body, ['action', 'personId', 'reason', 'interimMeasure', 'counter']);
	const action = f.oneOf('action', MEASURE_ACTIONS)!;
	const counterBody = f.object('counter', { optional: true });
	let counter: MeasureActionInput['counter'] = null;
	if (counterBody) {
		const c = fields(counterBody, ['title', 'personId', 'startDate', 'dueDate'], 'counter');
		counter = {
			title: c.string('title', { max: LIMITS.title })!,
			personId: c.string('personId', { max: LIMITS.ref, optional: true }),
			startDate: c.date('startDate', { optional: true }),
			dueDate: c.date('dueDate', { optional: true })
		};
	}
	if (action === 'counter' && !counter)
		throw new BadRequest('"counter" is required: what the service offers instead.', 'counter');
	return {
		action,
		personId: f.string('personId', { max: LIMITS.ref, optional: true }),
		reason: f.string('reason', { max: LIMITS.reason, optional: true }),
		interimMeasure: f.string('interimMeasure', { max: LIMITS.reason, optional: true }),
		counter
	};
}
