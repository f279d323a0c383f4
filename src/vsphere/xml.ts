// XML for vim25 SOAP: building request bodies and reading responses.
//
// Responses are parsed with fast-xml-parser in "every element is an array" mode: whether an
// element repeats depends on the data (one VM or many, one disk or many), so a shape that
// depends on the count would break on the first estate with a single datastore. Namespace
// prefixes are dropped from tag names (soapenv:Body → Body); attributes keep theirs because a
// ManagedObjectReference can carry both `type` (the managed object type) and `xsi:type`.
// Entities are decoded here, not by the parser, so that numeric references (&#xA;, which Go's
// encoder and vCenter write for newlines) are decoded too and nothing is decoded twice.

import { XMLParser } from 'fast-xml-parser';

/** A parsed element: child elements by local name (always arrays), attributes as `@_name`, text as `#text`. */
export interface XmlElement {
  [name: string]: XmlElement[] | string | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  alwaysCreateTextNode: true,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  transformTagName: (name) => localName(name),
  maxNestedTags: 256,
});

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export function parseXml(xml: string): XmlElement {
  return parser.parse(xml) as XmlElement;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

/** Child elements named `name`, in document order. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  const v = el?.[name];
  return Array.isArray(v) ? v : [];
}

/** The first child element named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(el, name)[0];
}

/** Names of the child elements present, attributes and text excluded. */
export function childNames(el: XmlElement): string[] {
  return Object.keys(el).filter((k) => k !== '#text' && !k.startsWith('@_'));
}

/** The element's text, entities decoded ('' for an empty element). */
export function text(el: XmlElement | undefined): string {
  const t = el?.['#text'];
  return typeof t === 'string' ? decodeEntities(t) : '';
}

/** Text of the first child named `name`, or undefined when absent. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : text(c);
}

export function attr(el: XmlElement | undefined, name: string): string | undefined {
  const v = el?.[`@_${name}`];
  return typeof v === 'string' ? decodeEntities(v) : undefined;
}

/** The xsi:type of an element, whatever prefix the server bound the XMLSchema-instance namespace to. */
export function xsiType(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  for (const key of Object.keys(el)) {
    if (key.startsWith('@_') && key.endsWith(':type')) {
      const v = el[key];
      if (typeof v === 'string') return localName(v);
    }
  }
  return undefined;
}

// ---- building ----

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

/**
 * One element. `content` is already-built XML (from other `el` calls) or a value escaped here;
 * undefined/null omits the element, as vim25 wants for unset optional fields.
 */
export function el(name: string, content: string | number | boolean | bigint | undefined | null, attrs: Record<string, string> = {}): string {
  if (content === undefined || content === null) return '';
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return `<${name}${a}>${typeof content === 'string' ? content : String(content)}</${name}>`;
}

/** An element whose string content is escaped. */
export function elText(name: string, value: string | undefined | null, attrs: Record<string, string> = {}): string {
  return value === undefined || value === null ? '' : el(name, escapeXml(value), attrs);
}

/** A polymorphic element: xsi:type says which subtype the content is. */
export function elTyped(name: string, type: string, content: string): string {
  return el(name, content, { 'xsi:type': type });
}

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const XSD = 'http://www.w3.org/2001/XMLSchema';

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns:xsd="${XSD}" xmlns:xsi="${XSI}">` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}
