// Connecting to vCenter: URL, user, password (environment or prompt, never the command line),
// certificate pinning or, only when asked, no verification.

import { UserError } from '../domain/errors.js';
import type { VimClient } from '../vsphere/client.js';

export interface ConnectFlags {
  vcenter?: string;
  user?: string;
  passwordEnv: string;
  thumbprint?: string;
  insecure?: boolean;
}

export function sdkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new UserError(`--vcenter "${text}" is not an address (write it like https://vc.example.com).`);
  }
  if (url.protocol !== 'https:') throw new UserError(`--vcenter ${text}: only https is supported (vCenter's API is served over TLS).`);
  if (url.username || url.password) throw new UserError('--vcenter must not carry a user or password; use --user and the password variable.');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/sdk';
  return url.toString();
}

export async function connect(flags: ConnectFlags): Promise<VimClient> {
  if (!flags.vcenter) throw new UserError('--vcenter is required (the vCenter address).');
  if (!flags.user) throw new UserError('--user is required (the vCenter user name).');
  const url = sdkUrl(flags.vcenter);
  if (flags.insecure && flags.thumbprint) throw new UserError('give --thumbprint or --insecure, not both.');
  if (flags.insecure) process.stderr.write(`svmig: warning: --insecure: the certificate of ${url} is not verified; anyone in the path could read the password.\n`);
  const password = await readPassword(flags.passwordEnv, flags.user, url);
  // The vSphere client loads here, not with the command's options: only commands that connect need it.
  const { connectAndLogin } = await import('../vsphere/client.js');
  return connectAndLogin({
    url,
    username: flags.user,
    password,
    ...(flags.thumbprint ? { thumbprint: flags.thumbprint } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
  });
}

async function readPassword(variable: string, user: string, url: string): Promise<string> {
  const fromEnv = process.env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UserError(`no password for ${user}: set the ${variable} environment variable (svmig never takes a password on the command line).`);
  }
  return promptHidden(`Password for ${user} at ${new URL(url).host}: `);
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UserError('password entry interrupted.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
