/**
 * The Noark 5 arkivmelding of a delivery, in KS Fiks Arkiv's form (`no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett`):
 * the plan is the case file (saksmappe), each delivery one registry entry (journalpost) in it, with one document
 * description (dokumentbeskrivelse) per file. Both carry Fellesplan's own keys (referanseEksternNoekkel: the plan's id,
 * the delivery's id), so the archive files every delivery of a plan in the same case and a re-sent delivery once.
 *
 * What it names, and no more: the plan's title, the patient's name as the case's party (the archive must be able to
 * find a person's case), dates, and the files. Both are screened (skjermet) under the duty of confidentiality, with a
 * public title that names nobody. No national identity number, no diagnosis, no plan content.
 */
import { create } from 'xmlbuilder2';
import { osloDay } from '../oslo-day';
import type { ArchiveFile } from './documents';

export const ARKIVMELDING_NS = 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1';
export const ARKIVMELDING_FILE = 'arkivmelding.xml';
/** The Fiks Arkiv message type the arkivmelding is sent as. */
export const ARKIVMELDING_MESSAGE_TYPE = 'no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett';
/** The metadata catalogue: the inner elements of its complex types (codes, keys) live in its namespace. */
const MDK_NS = 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** The system that delivers, and the name its keys are filed under in the archive. */
export const FAGSYSTEM = 'Fellesplan';

/** Health information: confidential under the Public Administration Act and the Health Personnel Act. */
const SCREENING = { code: '13', description: 'Taushetsplikt', basis: 'Offl. § 13 jf. hpl. § 21' };

export interface ArkivmeldingInput {
	deliveryId: string;
	plan: { id: string; title: string; publicTitle: string; patientName: string; createdAt: Date; closedAt: Date | null };
	/** The registry entry: its title, its public title, and the day of the documents (the adoption, or the rendering). */
	record: { title: string; publicTitle: string; documentDate: Date };
	files: ArchiveFile[];
	createdAt: Date;
}

type Node = ReturnType<typeof create>;

const kode = (parent: Node, name: string, code: string, description: string) =>
	parent.ele(name).ele(MDK_NS, 'n5mdk:kode').txt(code).up().ele(MDK_NS, 'n5mdk:beskrivelse').txt(description).up().up();

/** Fellesplan's key for the archive (`referanseEksternNoekkel`): in `container`, which is ours or the catalogue's. */
const externalKey = (container: Node, key: string) =>
	container.ele(MDK_NS, 'n5mdk:fagsystem').txt(FAGSYSTEM).up().ele(MDK_NS, 'n5mdk:noekkel').txt(key).up().up();

function screening(parent: Node): void {
	const s = parent.ele('skjerming');
	kode(s, 'tilgangsrestriksjon', SCREENING.code, SCREENING.description);
	s.ele('skjermingshjemmel').txt(SCREENING.basis);
}

/** The arkivmelding as UTF-8 XML. */
export function buildArkivmelding(input: ArkivmeldingInput): string {
	const { plan, record, files } = input;
	const created = input.createdAt.toISOString();
	const root = create({ version: '1.0', encoding: 'UTF-8' })
		.ele(ARKIVMELDING_NS, 'arkivmelding')
		.att(XMLNS, 'xmlns:xsi', XSI)
		.att(XMLNS, 'xmlns:n5mdk', MDK_NS);
	root.ele('system').txt(FAGSYSTEM);
	root.ele('antallFiler').txt(String(files.length));

	const caseFile = root.ele('mappe').att(XSI, 'xsi:type', 'saksmappe');
	caseFile.ele('tittel').txt(plan.title);
	caseFile.ele('offentligTittel').txt(plan.publicTitle);
	kode(caseFile, 'dokumentmedium', 'E', 'Elektronisk arkiv');
	caseFile.ele('opprettetDato').txt(plan.createdAt.toISOString());
	caseFile.ele('opprettetAv').txt(FAGSYSTEM);
	if (plan.closedAt) caseFile.ele('avsluttetDato').txt(plan.closedAt.toISOString());
	const party = caseFile.ele('part');
	party.ele('partNavn').txt(plan.patientName);
	kode(party, 'partRolle', 'K', 'Klient');
	screening(caseFile);
	externalKey(caseFile.ele('referanseEksternNoekkel'), plan.id);
	caseFile.ele('saksdato').txt(osloDay(plan.createdAt));
	kode(caseFile, 'saksstatus', plan.closedAt ? 'A' : 'B', plan.closedAt ? 'Avsluttet' : 'Under behandling');

	const entry = root.ele('registrering').att(XSI, 'xsi:type', 'journalpost');
	entry.ele('opprettetDato').txt(created);
	entry.ele('opprettetAv').txt(FAGSYSTEM);
	externalKey(entry.ele('referanseForelderMappe').ele(MDK_NS, 'n5mdk:referanseEksternNoekkel'), plan.id);
	screening(entry);
	files.forEach((file, i) => {
		const description = entry.ele('dokumentbeskrivelse');
		kode(description, 'dokumentstatus', 'F', 'Dokumentet er ferdigstilt');
		description.ele('tittel').txt(file.title);
		description.ele('forfatter').txt(FAGSYSTEM);
		description.ele('opprettetDato').txt(created);
		kode(
			description,
			'tilknyttetRegistreringSom',
			file.role === 'main' ? 'H' : 'V',
			file.role === 'main' ? 'Hoveddokument' : 'Vedlegg'
		);
		description.ele('dokumentnummer').txt(String(i + 1));
		screening(description);
		const object = description.ele('dokumentobjekt');
		object.ele('versjonsnummer').txt('1');
		kode(object, 'variantformat', 'A', 'Arkivformat');
		kode(object, 'format', 'RA-PDF', 'PDF/A - ISO 19005-2');
		object.ele('mimeType').txt('application/pdf');
		object.ele('filnavn').txt(file.name);
		object.ele('referanseDokumentfil').txt(file.name);
		object.ele('sjekksum').txt(file.sha256);
		object.ele('sjekksumAlgoritme').txt('SHA256');
		object.ele('filstoerrelse').txt(String(file.bytes.length));
	});
	entry.ele('tittel').txt(record.title);
	entry.ele('offentligTittel').txt(record.publicTitle);
	entry.ele('forfatter').txt(FAGSYSTEM);
	externalKey(entry.ele('referanseEksternNoekkel'), input.deliveryId);
	kode(entry, 'journalposttype', 'X', 'Organinternt dokument uten oppfølging');
	kode(entry, 'journalstatus', 'F', 'Ferdigstilt av saksbehandler');
	entry.ele('dokumentetsDato').txt(osloDay(record.documentDate));
	return root.end({ prettyPrint: true });
}
