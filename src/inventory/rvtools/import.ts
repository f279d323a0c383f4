// Importing an RVTools export: open it in whichever form it came (an .xlsx workbook or a folder of
// RVTools_tab*.csv), read the tabs svmig uses into records, build the estate.

import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { UserError } from '../../domain/errors.js';
import type { EstateFile } from '../estate-file.js';
import { anonymiseEstate } from '../anonymise.js';
import { NO_RULES, type DatastoreRules } from '../rules.js';
import { WarningLog } from '../warnings.js';
import { buildEstate, type ExportRecords, type RuleTexts } from './build.js';
import { openCsvFolder } from './csv.js';
import {
  readVCluster,
  readVDatastore,
  readVDisk,
  readVHost,
  readVInfo,
  readVMetaData,
  readVPartition,
  readVSnapshot,
} from './records.js';
import type { OpenTab, RvtoolsSource } from './source.js';
import { openXlsx } from './xlsx.js';

export interface ImportOptions {
  rules?: DatastoreRules;
  /** The rules as the user wrote them, kept in `source.rules`. */
  ruleTexts?: RuleTexts;
  vcenter?: string;
  /** Replace names with stable hashes (see anonymise.ts). */
  anonymise?: boolean;
  /** Secret mixed into the hashes so that short names cannot be guessed back. */
  salt?: string;
}

/** Opens `path` as an RVTools export: an .xlsx file, a folder of CSV files, or one CSV of such a folder. */
export async function openRvtools(path: string): Promise<RvtoolsSource> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new UserError(`Cannot read ${path}: ${(err as Error).message}.`, { cause: err });
  }
  if (isDir) return openCsvFolder(path);
  const lower = path.toLowerCase();
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) return openXlsx(path);
  if (lower.endsWith('.csv')) return openCsvFolder(dirname(path));
  if (lower.endsWith('.xls')) {
    throw new UserError(`${basename(path)} is a legacy .xls workbook: export again from RVTools as .xlsx, or save it as .xlsx.`);
  }
  throw new UserError(
    `${basename(path)} is not an RVTools export: give an .xlsx workbook or a folder of RVTools_tab<tab>.csv files.`,
  );
}

export async function readRvtoolsRecords(src: RvtoolsSource, warnings: WarningLog): Promise<ExportRecords> {
  const open = async <T extends OpenTab['tab']>(tab: T) => (await src.open(tab)) as (OpenTab & { tab: T }) | null;
  const vInfoTab = await open('vInfo');
  if (!vInfoTab) {
    const where = src.format === 'xlsx' ? `${src.files[0]} has no vInfo tab` : 'The folder has no RVTools_tabvInfo.csv';
    const tabs = src.allTabs.length > 0 ? ` (it has ${src.allTabs.join(', ')})` : '';
    throw new UserError(`${where}${tabs}: vInfo is the one tab svmig needs; export it from RVTools.`);
  }
  const vInfo = await readVInfo(vInfoTab, warnings);
  // One tab at a time: a CSV tab holds its whole decoded file while it is read.
  const vMetaData = await open('vMetaData');
  const metaRecords = vMetaData ? await readVMetaData(vMetaData, warnings) : null;
  const vDisk = await open('vDisk');
  const diskRecords = vDisk ? await readVDisk(vDisk, warnings) : null;
  const vPartition = await open('vPartition');
  const partitionRecords = vPartition ? await readVPartition(vPartition, warnings) : null;
  const vSnapshot = await open('vSnapshot');
  const snapshotRecords = vSnapshot ? await readVSnapshot(vSnapshot, warnings) : null;
  const vHost = await open('vHost');
  const hostRecords = vHost ? await readVHost(vHost, warnings) : null;
  const vDatastore = await open('vDatastore');
  const datastoreRecords = vDatastore ? await readVDatastore(vDatastore, warnings) : null;
  const vCluster = await open('vCluster');
  const clusterRecords = vCluster ? await readVCluster(vCluster, warnings) : null;
  return {
    format: src.format,
    files: src.files,
    vInfo,
    vMetaData: metaRecords,
    vDisk: diskRecords,
    vPartition: partitionRecords,
    vSnapshot: snapshotRecords,
    vHost: hostRecords,
    vDatastore: datastoreRecords,
    vCluster: clusterRecords,
  };
}

/** Imports an RVTools export into an estate. Throws a UserError for a malformed or foreign export. */
export async function importRvtools(path: string, options: ImportOptions = {}): Promise<EstateFile> {
  const warnings = new WarningLog();
  const src = await openRvtools(path);
  const records = await readRvtoolsRecords(src, warnings);
  const estate = buildEstate(
    records,
    { rules: options.rules ?? NO_RULES, ...(options.vcenter === undefined ? {} : { vcenter: options.vcenter }) },
    options.ruleTexts ?? { legacy: [], new: [], arrays: [], assumeDatastores: [] },
    warnings,
  );
  return options.anonymise ? anonymiseEstate(estate, options.salt ?? '') : estate;
}
