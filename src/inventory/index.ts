// The inventory importers' public face: what other commands use to read and write estate files.

export { ESTATE_FORMAT, estateToJson, parseEstateFile, readEstateFile, writeEstateFile } from './estate-file.js';
export type { EstateFile, EstateSource } from './estate-file.js';
export type { ImportWarning } from './warnings.js';
export { importRvtools, openRvtools } from './rvtools/import.js';
export type { ImportOptions } from './rvtools/import.js';
export { anonymiseEstate } from './anonymise.js';
export { applyDatastoreRules, parseArrayRule, parseAssumedDatastore, parseNameRule } from './rules.js';
export type { DatastoreRules } from './rules.js';
export { formatSummary, summariseEstate } from './summary.js';
export type { EstateSummary } from './summary.js';
