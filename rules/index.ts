/**
 * The built-in rules, one folder each. Rules depend on src/core and src/model only,
 * never on src/formats: they read the normalized model.
 */
import type { Rule } from '../src/core/rule.js';
import parseError from './PW000-parse-error/index.js';
import publicPort from './PW001-public-port/index.js';
import publicDatastore from './PW002-public-datastore/index.js';
import authDisabled from './PW003-auth-disabled/index.js';
import publicUnauthenticatedDatastore from './PW004-public-unauthenticated-datastore/index.js';
import listensOnAllInterfaces from './PW005-listens-on-all-interfaces/index.js';
import hostNetwork from './PW006-host-network/index.js';
import allTrafficOpen from './PW007-all-traffic-open/index.js';
import publicManagedDatastore from './PW008-public-managed-datastore/index.js';
import ingressWithoutTls from './PW009-ingress-without-tls/index.js';
import unresolvedExposure from './PW010-unresolved-exposure/index.js';

export const BUILTIN_RULES: Rule[] = [
  parseError,
  publicPort,
  publicDatastore,
  authDisabled,
  publicUnauthenticatedDatastore,
  listensOnAllInterfaces,
  hostNetwork,
  allTrafficOpen,
  publicManagedDatastore,
  ingressWithoutTls,
  unresolvedExposure,
];
