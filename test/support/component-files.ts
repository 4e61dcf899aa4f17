// A dossier's component files through the API, as reception sends them: a multipart upload to
// POST /dossiers/{code}/components/{componentId}/files, and the approval that makes the component
// digitised. For the tests of the file routes and of what digitisation feeds (reports, receipts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor } from '../../domain/dossier/actor.js';
import { authAs, startTestEngine, type TestEngine } from './engine.js';
import { pdfOf } from './file-fixtures.js';
import { loadTestProcedure, ROUND_THE_CLOCK, type TestProcedureOptions } from './test-procedure.js';

/**
 * loadTestProcedure's options (less the names and series) for the file routes' tests: one step
 * through the office, an application, and a site plan that takes one small page of PDF.
 */
export const SITE_PLAN_PROCEDURE: Pick<TestProcedureOptions, 'calendar' | 'legalBasis' | 'task' | 'clock' | 'stepBudget' | 'components'> = {
  calendar: ROUND_THE_CLOCK,
  legalBasis: 'Thử nghiệm',
  task: 'Xem xét hồ sơ',
  clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null },
  stepBudget: { unit: 'working-days', amount: 4 },
  components: [
    { id: 'application', name: 'Đơn đề nghị', form: 'original' },
    // A site plan: one page of PDF, small, as this procedure's rules say.
    { id: 'site-plan', name: 'Sơ đồ vị trí', form: 'photocopy', required: false, files: { accept: ['application/pdf'], maxBytes: 4096, maxPages: 1 } },
  ],
};

export interface SitePlanEngine {
  readonly engine: TestEngine;
  /** The directory document store's folder. */
  readonly directory: string;
  readonly centre: string;
  readonly office: string;
  readonly otherCentre: string;
  readonly procedureCode: string;
  /** Stops the engine and removes the directory. */
  close(): Promise<void>;
}

/**
 * A test engine named `name` with a directory document store, and SITE_PLAN_PROCEDURE loaded under
 * the test file's own names, with a second one-stop centre that takes no part in its dossiers.
 */
export async function startSitePlanEngine(name: string, procedure: Pick<TestProcedureOptions, 'series' | 'centreName' | 'officeName' | 'version' | 'name'> & { readonly otherCentreName: string }): Promise<SitePlanEngine> {
  const directory = mkdtempSync(path.join(os.tmpdir(), `motcua-${name}-`));
  let engine: TestEngine | undefined;
  const close = async () => {
    await engine?.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    engine = await startTestEngine({ name, documentDirectory: directory });
    const loaded = await loadTestProcedure(engine.db, { ...SITE_PLAN_PROCEDURE, ...procedure });
    return { engine, directory, ...loaded, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface UploadOptions {
  /** The name the sender gives the file part. */
  readonly filename?: string;
  /** The part's declared content type; the API judges the type by the bytes. */
  readonly contentType?: string;
  /** Text fields, sent before the file part (sha256, replaces, approve). */
  readonly fields?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Answer {
  readonly status: number;
  readonly json: any;
  readonly headers: Headers;
}

/** Uploads one file for a component as `who`; answers the API's status and body. */
export async function uploadComponentFile(url: string, dossierCode: string, componentId: string, who: Actor | null, bytes: Uint8Array, options: UploadOptions = {}): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
  form.append('file', new Blob([bytes], { type: options.contentType ?? 'application/pdf' }), options.filename ?? 'scan.pdf');
  const response = await fetch(`${url}/dossiers/${dossierCode}/components/${componentId}/files`, {
    method: 'POST',
    headers: { ...(who ? await authAs(who) : {}), ...options.headers },
    body: form,
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

/** Approves a component's file as its digitised copy, with an empty body. */
export async function approveComponentFile(url: string, dossierCode: string, componentId: string, sha256: string, who: Actor, headers: Readonly<Record<string, string>> = {}): Promise<Answer> {
  const response = await fetch(`${url}/dossiers/${dossierCode}/components/${componentId}/files/${sha256}/approve`, { method: 'POST', headers: { ...(await authAs(who)), ...headers } });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

/** A one-page PDF no other test stores: its own digest. */
export async function uniquePdf(pages = 1): Promise<Buffer> {
  return Buffer.concat([await pdfOf(pages), Buffer.from(`% ${crypto.randomUUID()}\n`)]);
}

/**
 * Digitises a component as reception does: uploads a tiny scan of it and approves it (two events,
 * ComponentFileAttached then ComponentFileApproved). Answers the approved file's digest.
 */
export async function digitiseComponent(url: string, dossierCode: string, componentId: string, reception: Actor): Promise<string> {
  const uploaded = await uploadComponentFile(url, dossierCode, componentId, reception, await uniquePdf(), { filename: `${componentId}.pdf` });
  if (uploaded.status !== 201) throw new Error(`upload of ${componentId} to ${dossierCode}: ${uploaded.status} ${JSON.stringify(uploaded.json)}`);
  const sha256: string = uploaded.json.file.sha256;
  const approved = await approveComponentFile(url, dossierCode, componentId, sha256, reception);
  if (approved.status !== 200) throw new Error(`approval of ${componentId} on ${dossierCode}: ${approved.status} ${JSON.stringify(approved.json)}`);
  return sha256;
}
