// `npm run token -- --role reception --agency 000.01.01.H99 [--user letan.an] [--name "Lễ tân An"] [--hours 8]`
// prints a bearer token for the embedded default (HS256 with the data folder's secret, or
// MOTCUA_JWT_SECRET). Production tokens come from the agency's identity provider.
// A portal's token names the portal and its scope instead of an agency:
// `npm run token -- --role portal --portal dvcqg --units 000.01.01.H99,000.02.01.H99 --procedures '*' [--user portal-dvcqg]`
// (--procedures takes procedure codes separated by commas, or * for every catalogued procedure).
// A ministry system's token, for pushing mirrors (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere), likewise:
// `npm run token -- --role ministry-system --system bca-dichvucong --units 000.01.01.H99 --procedures '*'`
import { parseArgs } from 'node:util';
import { ROLES } from '../domain/dossier/actor.js';
import { ministrySystemClaimsSchema, mintToken, portalClaimsSchema, staffClaimsSchema } from '../api/auth/token-verifier.js';
import { readEnvironment } from '../platform/environment.js';
import { localSecret } from './local-secrets.js';

const usage = `usage: npm run token -- --role <${ROLES.filter((role) => role !== 'system' && role !== 'interagency' && role !== 'portal' && role !== 'ministry-system').join('|')}> --agency <agency code> [--user <id>] [--name <display name>] [--hours <n>]
       npm run token -- --role portal --portal <name> --units <agency code,...> --procedures <procedure code,...|*> [--user <id>] [--name <display name>] [--hours <n>]
       npm run token -- --role ministry-system --system <name> --units <agency code,...> --procedures <procedure code,...|*> [--user <id>] [--name <display name>] [--hours <n>]`;
try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      agency: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      hours: { type: 'string', default: '8' },
      portal: { type: 'string' },
      units: { type: 'string' },
      procedures: { type: 'string' },
      system: { type: 'string' },
    },
  });
  const list = (value: string | undefined) => (value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter(Boolean));
  const portal = values.role === 'portal';
  const ministry = values.role === 'ministry-system';
  const claims = (portal ? portalClaimsSchema : ministry ? ministrySystemClaimsSchema : staffClaimsSchema).safeParse(
    ministry
      ? {
          sub: values.user ?? `system-${values.system}`,
          name: values.name ?? values.user ?? `Hệ thống ${values.system}`,
          role: values.role,
          system: values.system,
          units: list(values.units),
          procedures: list(values.procedures),
          ...(values.agency !== undefined ? { agency: values.agency } : {}),
        }
      : portal
      ? {
          sub: values.user ?? `portal-${values.portal}`,
          name: values.name ?? values.user ?? `Cổng ${values.portal}`,
          role: values.role,
          portal: values.portal,
          units: list(values.units),
          procedures: list(values.procedures),
          ...(values.agency !== undefined ? { agency: values.agency } : {}),
        }
      : {
          sub: values.user ?? `${values.role}@${values.agency}`,
          name: values.name ?? values.user ?? `${values.role} ${values.agency}`,
          role: values.role,
          agency: values.agency,
          ...(values.portal !== undefined ? { portal: values.portal } : {}),
          ...(values.units !== undefined ? { units: list(values.units) } : {}),
          ...(values.procedures !== undefined ? { procedures: list(values.procedures) } : {}),
        },
  );
  if (!claims.success) {
    console.error(`${claims.error.issues.map((issue) => `--${issue.path[0] === 'sub' ? 'user' : String(issue.path[0] ?? 'role')}: ${issue.message}`).join('\n')}\n${usage}`);
    process.exit(2);
  }
  const hours = Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
    console.error(`--hours must be a number of hours between 0 and 720\n${usage}`);
    process.exit(2);
  }
  const env = readEnvironment();
  const secret = env.MOTCUA_JWT_SECRET ?? localSecret(env.dataDir, 'jwt-secret');
  console.log(await mintToken(secret, claims.data, { audience: env.MOTCUA_JWT_AUDIENCE, ...(env.MOTCUA_JWT_ISSUER ? { issuer: env.MOTCUA_JWT_ISSUER } : {}), hours }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
