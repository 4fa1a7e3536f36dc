/**
 * elasticsearch.yml / opensearch.yml: the interfaces the HTTP (9200) and transport (9300)
 * layers bind to, and whether the security plugin is on.
 *
 * Decisions:
 * - each layer binds to the first of `<layer>.bind_host`, `<layer>.host`, `network.bind_host`,
 *   `network.host` that is set (Elasticsearch's own fallback), and each deciding setting that
 *   names every interface is one binding: 0.0.0.0, ::, 0, and `_global_` (every public
 *   address, which is worse); `_site_` (private addresses) and `_local_` are not;
 * - `xpack.security.enabled: false`, `plugins.security.disabled: true` (OpenSearch) and
 *   `opendistro_security.disabled: true` turn authentication off; when nothing is set the
 *   default depends on the version (on from Elasticsearch 8.0, off before), so it is unknown.
 */
import type { SourceFile } from '../types.js';
import { nodeLocation, type YamlDocument } from '../yaml/index.js';
import { type ConfigFacts, newFacts, tcpPorts } from './facts.js';
import { flattenSettings, isFalse, isTrue, settingItems, settingLocation, settingText, type YamlSetting } from './yaml-settings.js';

const LAYERS = [
  ['http.bind_host', 'http.host', 'network.bind_host', 'network.host'],
  ['transport.bind_host', 'transport.host', 'network.bind_host', 'network.host'],
] as const;

/** Keys that only an Elasticsearch/OpenSearch settings file has at its top (flat or nested). */
export const ELASTIC_SETTING_PREFIX = /^(cluster|node|network|http|transport|xpack|path|discovery|bootstrap|plugins|opendistro_security|indices|action|gateway|ingest|search|thread_pool|script)(\.|$)/;

/** `0.0.0.0`, `::`, `0`, `_global_` (and their `:ipv4` / `:ipv6` variants). */
function isElasticAllInterfaces(value: string): boolean {
  const v = value.trim().replace(/^(_[a-z0-9]+_):ipv[46]$/i, '$1').toLowerCase();
  return v === '0.0.0.0' || v === '::' || v === '[::]' || v === '0' || v === '_global_' || v === '0:0:0:0:0:0:0:0';
}

export function readElasticsearch(file: SourceFile, doc: YamlDocument, flavour: 'elasticsearch' | 'opensearch'): ConfigFacts {
  const settings = flattenSettings(doc);
  const first = settings.values().next().value as YamlSetting | undefined;
  const facts = newFacts(flavour, flavour === 'opensearch' ? 'OpenSearch' : 'Elasticsearch', first ? settingLocation(file, first) : undefined);

  const deciding = new Set<YamlSetting>();
  for (const chain of LAYERS) {
    const setting = chain.map((key) => settings.get(key)).find((s) => s && s.value !== undefined && settingItems(file, s, doc).some((i) => i.text !== ''));
    if (setting) deciding.add(setting);
  }
  for (const setting of deciding) {
    const hit = settingItems(file, setting, doc).find((item) => isElasticAllInterfaces(item.text));
    // A comma list is shown whole (it is one value); a YAML list item is shown alone (it is what is located).
    const shown = hit && hit.node === setting.pair ? settingText(file, setting) : hit?.text;
    if (hit) facts.bindings.push({ setting: `${setting.key}: ${shown}`, location: nodeLocation(file, hit.node) });
  }

  facts.listenPorts = [
    ...tcpPorts(settingText(file, settings.get('http.port'))),
    ...tcpPorts(settingText(file, settings.get('transport.port') ?? settings.get('transport.tcp.port'))),
  ];
  facts.auth = elasticAuth(file, settings, flavour);
  return facts;
}

function elasticAuth(file: SourceFile, settings: Map<string, YamlSetting>, flavour: 'elasticsearch' | 'opensearch'): ConfigFacts['auth'] {
  const xpack = settings.get('xpack.security.enabled');
  const xpackValue = settingText(file, xpack);
  if (xpack && isFalse(xpackValue)) {
    return { state: 'disabled', reason: 'xpack.security.enabled is false', location: settingLocation(file, xpack) };
  }
  if (xpack && isTrue(xpackValue)) return { state: 'enabled', reason: 'xpack.security.enabled is true', location: settingLocation(file, xpack) };
  for (const key of ['plugins.security.disabled', 'opendistro_security.disabled']) {
    const setting = settings.get(key);
    const value = settingText(file, setting);
    if (setting && isTrue(value)) return { state: 'disabled', reason: `${key} is true`, location: settingLocation(file, setting) };
    if (setting && isFalse(value)) return { state: 'enabled', reason: `${key} is false`, location: settingLocation(file, setting) };
  }
  return flavour === 'opensearch'
    ? { state: 'unknown', reason: 'plugins.security.disabled is not set: security depends on the installed plugin and its configuration' }
    : { state: 'unknown', reason: 'xpack.security.enabled is not set: on by default from Elasticsearch 8.0, off before' };
}
