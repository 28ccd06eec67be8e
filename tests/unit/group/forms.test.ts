import { describe, expect, it } from 'vitest';
import {
	parseAddForm,
	parseEndForm,
	parseHandoverForm,
	parseInviteForm,
	parseOfferForm,
	parseUpdateForm
} from '../../../src/lib/server/group/forms';

const data = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};

describe('the group page’s forms', () => {
	it('reads a seat to add, and reports each problem on its field while keeping what was typed', () => {
		expect(
			parseAddForm(
				data({ userId: 'u1', role: 'gp', serviceId: 's1', access: 'write', from: '', committedUntil: '2027-03-31' })
			)
		).toMatchObject({
			ok: true,
			value: { userId: 'u1', role: 'gp', serviceId: 's1', access: 'write', from: null, committedUntil: '2027-03-31' }
		});
		const bad = parseAddForm(
			data({
				userId: 'u1',
				role: 'coordinator',
				serviceId: '',
				access: 'admin',
				from: '2027-02-30',
				committedUntil: 'soon'
			})
		);
		expect(bad).toEqual({
			ok: false,
			errors: { role: 'invalid', access: 'invalid', from: 'date', committedUntil: 'date' },
			values: {
				userId: 'u1',
				role: 'coordinator',
				serviceId: '',
				access: 'admin',
				from: '2027-02-30',
				committedUntil: 'soon'
			}
		});
		expect(parseAddForm(data({ role: 'gp', access: 'read' }))).toMatchObject({
			ok: false,
			errors: { userId: 'required' }
		});
	});

	it('reads an invitation: a name, an e-mail (lower-cased), and only roles a coordinator may give', () => {
		expect(
			parseInviteForm(data({ name: ' Nina ', email: 'Nina@Example.TEST', role: 'relative', access: 'read' }))
		).toMatchObject({
			ok: true,
			value: {
				name: 'Nina',
				email: 'nina@example.test',
				role: 'relative',
				serviceId: null,
				access: 'read',
				committedUntil: null
			}
		});
		expect(parseInviteForm(data({ name: '', email: 'not an address', role: 'patient', access: 'read' }))).toMatchObject(
			{
				ok: false,
				errors: { name: 'required', email: 'email', role: 'invalid' }
			}
		);
		expect(parseInviteForm(data({ name: 'x'.repeat(201), email: 'a@b.no', role: 'gp', access: 'read' }))).toMatchObject(
			{ ok: false, errors: { name: 'too_long' } }
		);
	});

	it('reads changes, handovers, ends and offers', () => {
		expect(
			parseUpdateForm(data({ seatId: 's', role: 'observer', serviceId: '', access: 'read', committedUntil: '' }))
		).toMatchObject({ ok: true, value: { seatId: 's', role: 'observer', serviceId: null, committedUntil: null } });
		expect(
			parseHandoverForm(
				data({
					seatId: 's',
					successor: 'u2|svc',
					role: 'service_provider',
					access: 'write',
					overlapUntil: '2027-01-15',
					committedUntil: ''
				})
			)
		).toMatchObject({
			ok: true,
			value: { seatId: 's', successorId: 'u2', serviceId: 'svc', overlapUntil: '2027-01-15' }
		});
		expect(
			parseHandoverForm(data({ seatId: 's', successor: 'u2', role: 'service_provider', access: 'write' }))
		).toMatchObject({ ok: false, errors: { successor: 'invalid' } });
		expect(
			parseHandoverForm(data({ seatId: 's', successor: '', role: 'service_provider', access: 'write' }))
		).toMatchObject({ ok: false, errors: { successor: 'required' } });
		// Ending a seat needs the tick.
		expect(parseEndForm(data({ seatId: 's' }))).toMatchObject({ ok: false, errors: { confirm: 'required' } });
		expect(parseEndForm(data({ seatId: 's', confirm: 'yes' }))).toMatchObject({ ok: true, value: { seatId: 's' } });
		expect(parseOfferForm(data({ successor: 'u|s', oldSeat: 'end' }))).toMatchObject({
			ok: true,
			value: { toUserId: 'u', serviceId: 's', oldSeat: 'end' }
		});
		expect(parseOfferForm(data({ successor: 'u|s', oldSeat: 'vanish' }))).toMatchObject({
			ok: false,
			errors: { oldSeat: 'invalid' }
		});
	});
});
