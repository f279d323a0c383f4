// vSphere datastore paths: `[datastore name] folder/file.vmdk`. RVTools writes them in vInfo `Path`
// (the .vmx) and vDisk `Path` (each .vmdk); the datastore name is what svmig needs.

export interface DatastorePath {
  datastore: string;
  /** The path inside the datastore (`vm01/vm01_1.vmdk`), possibly empty. */
  file: string;
}

const PATH_RE = /^\s*\[([^\]]+)\]\s*(.*)$/s;

/** Splits `[ds] dir/file`; null when the text is not in that form (or empty). */
export function parseDatastorePath(text: string | null): DatastorePath | null {
  if (text === null) return null;
  const m = PATH_RE.exec(text);
  if (!m) return null;
  const datastore = m[1]!.trim();
  return datastore === '' ? null : { datastore, file: m[2]!.trim() };
}
