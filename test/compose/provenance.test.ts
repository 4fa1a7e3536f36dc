/** Compose provenance: .env variables, override files and extends as related locations; projects as units. */
import { describe, expect, it } from 'vitest';
import { relatedOf } from '../helpers/rule-tester.js';
import { lintTree, views } from '../helpers/index.js';

describe('compose provenance and units', () => {
  it('relates a port to its .env variable, the base service an override joins, and the extends entry', async () => {
    const r = await lintTree({
      '.env': 'ES_PORT=9200\nREDIS_BIND=0.0.0.0\n',
      'docker-compose.yml':
        'services:\n  es:\n    image: elasticsearch:8.13.0\n    ports:\n      - "${ES_PORT}:9200"\n  base:\n    image: redis:7\n    command: ["redis-server", "--requirepass", "x"]\n    ports:\n      - "${REDIS_BIND}:6379:6379"\n  cache:\n    extends: base\n',
      'docker-compose.override.yml': 'services:\n  es:\n    ports:\n      - "9300:9300"\n',
    });
    expect(views(r).map((v) => [v.ruleId, v.file, v.line, v.column, v.endLine, v.endColumn])).toEqual([
      ['PW002', 'docker-compose.override.yml', 4, 9, 4, 20],
      ['PW002', 'docker-compose.yml', 5, 9, 5, 26],
      ['PW002', 'docker-compose.yml', 10, 9, 10, 34],
      ['PW002', 'docker-compose.yml', 10, 9, 10, 34],
    ]);
    expect(r.findings.map(relatedOf)).toEqual([
      [['docker-compose.yml', 2, 3, 2, 5, "service 'es' is declared in docker-compose.yml, which docker-compose.override.yml overrides"]],
      [['.env', 1, 1, 1, 13, 'ES_PORT comes from .env']],
      [['.env', 2, 1, 2, 19, 'REDIS_BIND comes from .env']],
      [
        ['.env', 2, 1, 2, 19, 'REDIS_BIND comes from .env'],
        ['docker-compose.yml', 12, 5, 12, 18, "service 'cache' extends service 'base'"],
      ],
    ]);
    expect(r.findings.every((f) => f.units?.join() === 'compose project docker-compose.yml')).toBe(true);
  });

  it('reports a service of a file two projects include once, naming both projects', async () => {
    const shared = 'services:\n  redis:\n    image: redis:7\n    command: ["redis-server", "--requirepass", "x"]\n    ports:\n      - "6379:6379"\n';
    const r = await lintTree({
      'shared/redis.yml': shared,
      'a/compose.yaml': 'include:\n  - ../shared/redis.yml\nservices:\n  web:\n    image: nginx:1.25\n',
      'b/compose.yaml': 'include:\n  - ../shared/redis.yml\nservices:\n  api:\n    image: nginx:1.25\n',
    });
    const redis = r.findings.filter((f) => f.location.file === 'shared/redis.yml');
    expect(redis.map((f) => [f.ruleId, f.location.region.startLine, f.location.region.startColumn])).toEqual([['PW002', 6, 9]]);
    expect(redis[0]!.units).toEqual(['compose project a/compose.yaml', 'compose project b/compose.yaml']);
  });
});
