import { beforeAll, describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from '../../helpers/services';
import { createUser } from '../collab/fixtures';
import { createService } from '../group/helpers';
import { getPerson, savePerson } from '../../../src/lib/server/admin/directory';
import { removeServiceMembership, setServiceMembership } from '../../../src/lib/server/admin/service-memberships';
import { searchDirectory } from '../../../src/lib/server/group/directory';
import { createPlan } from '../collab/fixtures';

describe.each(engines)('service memberships in the directory on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let gp: string;
	let emergency: string;
	beforeAll(async () => {
		gp = await createService(db(), { name: 'Legesenteret' });
		emergency = await createService(db(), { name: 'Legevakten' });
	});

	it('lets one person work in several services, each with its own title', async () => {
		const doctor = await createUser(db(), { name: 'Doktor Delt' });
		expect(await setServiceMembership(db(), { userId: doctor.id, serviceId: gp, title: 'Fastlege' })).toEqual({
			ok: true,
			created: true
		});
		expect(
			await setServiceMembership(db(), { userId: doctor.id, serviceId: emergency, title: 'Legevaktlege' })
		).toEqual({ ok: true, created: true });
		expect((await getPerson(db(), doctor.id))?.seats).toEqual([
			{ serviceId: gp, serviceName: 'Legesenteret', title: 'Fastlege' },
			{ serviceId: emergency, serviceName: 'Legevakten', title: 'Legevaktlege' }
		]);
		// Choosing a service the person is in already changes only the title.
		expect(
			await setServiceMembership(db(), {
				userId: doctor.id,
				serviceId: gp,
				title: 'Fastlege, spesialist i allmennmedisin'
			})
		).toEqual({ ok: true, created: false });
		expect((await getPerson(db(), doctor.id))?.seats.map((s) => s.title)).toEqual([
			'Fastlege, spesialist i allmennmedisin',
			'Legevaktlege'
		]);
		// The group page's search shows both.
		const plan = await createPlan(db());
		expect((await searchDirectory(db(), 'Doktor Delt', plan.planId))[0].services.map((s) => s.name)).toEqual([
			'Legesenteret',
			'Legevakten'
		]);

		expect(await removeServiceMembership(db(), { userId: doctor.id, serviceId: emergency })).toBe(true);
		expect(await removeServiceMembership(db(), { userId: doctor.id, serviceId: emergency })).toBe(false);
		expect((await getPerson(db(), doctor.id))?.seats.map((s) => s.serviceId)).toEqual([gp]);
	});

	it('keeps services to staff, and to services that exist', async () => {
		const relative = await createUser(db(), { kind: 'relative' });
		expect(await setServiceMembership(db(), { userId: relative.id, serviceId: gp, title: '' })).toEqual({
			ok: false,
			problem: 'not_staff'
		});
		const staff = await createUser(db());
		expect(await setServiceMembership(db(), { userId: staff.id, serviceId: 'nope', title: '' })).toEqual({
			ok: false,
			problem: 'unknown_service'
		});
		expect(await setServiceMembership(db(), { userId: 'nobody', serviceId: gp, title: '' })).toEqual({
			ok: false,
			problem: 'not_found'
		});
	});

	it('saving a person’s details leaves their services alone; a new person may start in one', async () => {
		const { userId } = await savePerson(db(), null, {
			name: 'Ny Ansatt',
			email: `ny-${Date.now()}@example.test`,
			phone: null,
			kind: 'staff',
			isAdmin: false,
			disabled: false,
			serviceId: gp,
			title: 'Sykepleier',
			password: 'et langt passord her'
		});
		await setServiceMembership(db(), { userId, serviceId: emergency, title: 'Vakt' });
		const person = await getPerson(db(), userId);
		await savePerson(db(), userId, {
			name: 'Ny Ansatt Omdøpt',
			email: person!.email!,
			phone: null,
			kind: 'staff',
			isAdmin: false,
			disabled: false,
			serviceId: null,
			title: '',
			password: null
		});
		expect((await getPerson(db(), userId))?.seats.map((s) => [s.serviceName, s.title])).toEqual([
			['Legesenteret', 'Sykepleier'],
			['Legevakten', 'Vakt']
		]);
	});
});
