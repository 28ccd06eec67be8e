import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGoal, addMeasure, renderPlan } from '../../../src/lib/plan';
import { renderArchiveFiles } from '../../../src/lib/server/archive/documents';
import { buildArkivmelding } from '../../../src/lib/server/archive/arkivmelding';
import { parseReceipt } from '../../../src/lib/server/archive/adapters';
import { inLocale } from '../../../src/lib/server/i18n/in-locale';
import type { ArchiveContent } from '../../../src/lib/server/archive/content';

/** A plan as the content reader would give it: one goal with one measure, never adopted. */
function content(): ArchiveContent {
	const plan = new Y.Doc();
	const goalId = addGoal(plan, { lifeArea: 'housing', title: 'Egen leilighet før jul', expressedBy: 'patient' });
	addMeasure(plan, { goalId, title: 'Søknad om kommunal bolig', serviceId: 's1' });
	const at = new Date('2027-01-12T09:00:00Z');
	return {
		plan: {
			id: 'p1',
			title: 'Individuell plan for Kari',
			status: 'active',
			patientName: 'Kari Nordmann',
			periodStart: '2027-01-01',
			periodEnd: '2027-12-31',
			revisionDate: '2027-06-01',
			createdAt: at,
			closedAt: null
		},
		version: null,
		at,
		members: [{ name: 'Kari Nordmann', role: 'patient', service: null }],
		content: renderPlan({ plan }),
		serviceNames: new Map([['s1', 'Boligkontoret']]),
		personNames: new Map(),
		meeting: null,
		consents: []
	};
}

describe('the archive files', () => {
	it('[AR2][AR3] are PDF/A-2 in bokmål whatever language the request was in, and the arkivmelding names each with its checksum', async () => {
		const files = await inLocale('en', () => renderArchiveFiles(content()));
		expect(files.map((f) => [f.name, f.role])).toEqual([
			['plan.pdf', 'main'],
			['samtykker.pdf', 'attachment']
		]);
		for (const f of files) {
			const raw = f.bytes.toString('latin1');
			expect(raw.startsWith('%PDF-1.7')).toBe(true);
			expect(raw).toContain('<pdfaid:part>2</pdfaid:part>');
			expect(raw).toContain('/OutputIntents');
			expect(f.sha256).toBe(createHash('sha256').update(f.bytes).digest('hex'));
		}
		// The document's title is the bokmål one, though the caller's language was English.
		expect(files[0].title).toBe('Individuell plan');
		expect(files[0].bytes.toString('latin1')).toContain('(Individuell plan)');

		const xml = buildArkivmelding({
			deliveryId: 'd1',
			plan: { ...content().plan, publicTitle: 'Individuell plan' },
			record: {
				title: 'Individuell plan (ikke vedtatt)',
				publicTitle: 'Individuell plan (ikke vedtatt)',
				documentDate: new Date()
			},
			files,
			createdAt: new Date()
		});
		expect(xml.match(/<dokumentbeskrivelse>/g)).toHaveLength(2);
		expect(xml).toContain('<antallFiler>2</antallFiler>');
		for (const f of files) {
			expect(xml).toContain(`<filnavn>${f.name}</filnavn>`);
			expect(xml).toContain(`<sjekksum>${f.sha256}</sjekksum>`);
		}
		expect(xml).toContain('<offentligTittel>Individuell plan</offentligTittel>');
		expect(xml).not.toMatch(/\b\d{11}\b/);
	});

	it("[AR5] a receipt is the archive's kvittering with both system ids; a refusal or anything else is an error to retry", () => {
		const ns = 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1';
		expect(
			parseReceipt(
				`<k:arkivmeldingKvittering xmlns:k="${ns}"><k:mappeKvittering><k:systemID>a</k:systemID></k:mappeKvittering><k:registreringKvittering><k:systemID>b</k:systemID></k:registreringKvittering></k:arkivmeldingKvittering>`
			)
		).toEqual({ caseSystemId: 'a', recordSystemId: 'b' });
		expect(() =>
			parseReceipt(
				`<arkivmeldingKvittering xmlns="${ns}"><mappeFeilet><feilmelding>nei</feilmelding></mappeFeilet></arkivmeldingKvittering>`
			)
		).toThrow(expect.objectContaining({ code: 'ARCHIVE_REFUSED' }));
		for (const bad of ['', 'not xml', '<html><body>502</body></html>', `<arkivmeldingKvittering xmlns="${ns}"/>`])
			expect(() => parseReceipt(bad)).toThrow(expect.objectContaining({ code: 'BAD_RECEIPT' }));
	});
});
