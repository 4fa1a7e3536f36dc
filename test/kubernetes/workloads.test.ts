/**
 * Workloads: the pod template of every controller kind, containers and init containers,
 * env/args into the shared auth module, hostPort and hostNetwork.
 */
import { describe, expect, it } from 'vitest';
import { at, fixture, run, sourceFile } from './helpers.js';

describe('pod templates of every workload kind', () => {
  it('finds the container at the right depth of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and CronJob', () => {
    const files = [fixture('workload-kinds/all-kinds.yaml')];
    const result = run(...files);
    expect(result.allFailures).toEqual([]);
    const workloads = result.model.workloads ?? [];
    expect(workloads.map((w) => [w.name, w.labels?.kind])).toEqual([
      ["container 'redis' of Pod/redis-pod", 'pod'],
      ["container 'redis' of Deployment/redis-deployment", 'deployment'],
      ["container 'redis' of StatefulSet/redis-statefulset", 'statefulset'],
      ["container 'redis' of DaemonSet/redis-daemonset", 'daemonset'],
      ["container 'redis' of ReplicaSet/redis-replicaset", 'replicaset'],
      ["container 'redis' of ReplicationController/redis-rc", 'replicationcontroller'],
      ["container 'redis' of Job/redis-job", 'job'],
      ["container 'redis' of CronJob/redis-cronjob", 'cronjob'],
    ]);
    for (const w of workloads) {
      expect(w.kind).toBe('k8s-container');
      expect(w.namespace).toBe('default');
      expect(w.datastore?.kind).toBe('redis');
      expect(w.auth?.state).toBe('disabled');
    }
    // Lines count in the whole file: the CronJob's container sits at the end of the eighth document.
    expect(at(workloads[7]!.location, files)).toEqual({ where: 'workload-kinds/all-kinds.yaml:104:15-104:26', text: 'name: redis' });
    expect(at(workloads[7]!.auth?.location, files)).toEqual({ where: 'workload-kinds/all-kinds.yaml:105:22-105:29', text: 'redis:7' });
    expect(new Set(workloads.map((w) => w.id)).size).toBe(8);
  });
});

describe('containers, init containers and the command line', () => {
  const files = [fixture('workload-kinds/containers.yaml')];
  const result = run(...files);
  const byName = new Map((result.model.workloads ?? []).map((w) => [w.name, w]));

  it('keeps init containers, and only a native sidecar (restartPolicy: Always) serves a Service port', () => {
    expect([...byName.keys()]).toEqual([
      "container 'es' of StatefulSet/search",
      "container 'es-from-configmap' of StatefulSet/search",
      "init container 'fix-permissions' of StatefulSet/search",
      "init container 'cache' of StatefulSet/search",
      "container 'redis-client' of Pod/redis-client",
    ]);
    const [cache, http] = result.model.exposures ?? [];
    expect(cache?.workloads.map((w) => w.name)).toEqual(["init container 'cache' of StatefulSet/search"]);
    expect(cache?.targetPorts?.ranges).toEqual([{ from: 6379, to: 6379 }]);
    expect(http?.workloads.map((w) => w.name)).toEqual(["container 'es' of StatefulSet/search"]);
  });

  it('expands $(VAR) in args from the container env, keeping the argument as the location', () => {
    const es = byName.get("container 'es' of StatefulSet/search")!;
    expect(es.auth?.state).toBe('disabled');
    expect(es.auth?.reason).toContain('on the command line');
    expect(at(es.auth?.location, files)).toEqual({ where: 'workload-kinds/containers.yaml:38:15-38:51', text: '-Expack.security.enabled=$(SECURITY)' });
  });

  it('envFrom makes the environment opaque: an ES 7 without visible settings is unknown, not disabled', () => {
    const es = byName.get("container 'es-from-configmap' of StatefulSet/search")!;
    expect(es.auth?.state).toBe('unknown');
    expect(at(es.auth?.location, files)).toEqual({ where: 'workload-kinds/containers.yaml:43:18-43:38', text: 'elasticsearch:7.10.1' });
  });

  it('a datastore image whose command only sleeps or runs a client is not a datastore', () => {
    const client = byName.get("container 'redis-client' of Pod/redis-client")!;
    expect(client.image?.value).toBe('redis:latest');
    expect(client.datastore).toBeUndefined();
    expect(client.auth).toBeUndefined();
  });
});

describe('hostPort', () => {
  it('invalid: published on every node address, located at the hostPort value', () => {
    const files = [fixture('host-port/invalid/memcached.yaml')];
    const result = run(...files);
    const [exposure, ...rest] = result.model.exposures ?? [];
    expect(rest).toEqual([]);
    expect(exposure?.id).toBe('k8s:host-port/invalid/memcached.yaml:cache/DaemonSet/memcached:containers[0].ports[0]:hostPort');
    expect(exposure?.via).toBe('k8s-host-port');
    expect(exposure?.subject).toBe("container 'memcached' of DaemonSet/memcached");
    expect(exposure?.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] });
    expect(exposure?.targetPorts).toEqual({ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] });
    const hostPort = { where: 'host-port/invalid/memcached.yaml:22:25-22:30', text: '11211' };
    expect(at(exposure?.location, files)).toEqual(hostPort);
    expect(exposure?.sources.map((s) => ({ value: s.value, ...at(s.location, files) }))).toEqual([{ value: { kind: 'any', label: 'every node address (hostPort)' }, ...hostPort }]);
    expect(exposure?.workloads.map((w) => [w.datastore?.kind, w.auth?.state])).toEqual([['memcached', 'disabled']]);
  });

  it('valid: hostIP 127.0.0.1 narrows it to a loopback host address, located at the hostIP value', () => {
    const files = [fixture('host-port/valid/memcached.yaml')];
    const [exposure] = run(...files).model.exposures ?? [];
    expect(exposure?.sources.map((s) => ({ value: s.value, ...at(s.location, files) }))).toEqual([
      { value: { kind: 'host-ip', address: '127.0.0.1' }, where: 'host-port/valid/memcached.yaml:23:23-23:32', text: '127.0.0.1' },
    ]);
  });

  it('JSON manifests are read too, with positions', () => {
    const files = [fixture('workload-kinds/mongo-pod.json')];
    const [exposure] = run(...files).model.exposures ?? [];
    expect(at(exposure?.location, files)).toEqual({ where: 'workload-kinds/mongo-pod.json:13:74-13:79', text: '27017' });
    expect(exposure?.workloads[0]?.auth?.state).toBe('disabled');
  });
});

describe('hostNetwork', () => {
  it('invalid: every container of the pod carries the hostNetwork value as its location', () => {
    const files = [fixture('host-network/invalid/node-exporter.yaml')];
    const workloads = run(...files).model.workloads ?? [];
    expect(workloads).toHaveLength(2);
    for (const w of workloads) {
      expect(w.hostNetwork?.value).toBe(true);
      expect(w.hostNetwork?.path).toBe('spec.template.spec.hostNetwork');
      expect(at(w.hostNetwork?.location, files)).toEqual({ where: 'host-network/invalid/node-exporter.yaml:15:20-15:24', text: 'true' });
    }
    expect(workloads[1]?.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 9100, to: 9100 }] }]);
  });

  it('valid: hostNetwork: false', () => {
    const workloads = run(fixture('host-network/valid/node-exporter.yaml')).model.workloads ?? [];
    expect(workloads.map((w) => w.hostNetwork)).toEqual([undefined, undefined]);
  });
});

describe('what the container runs', () => {
  const pod = (command: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: redis:7\n      command: ${command}\n`;
  it.each([
    ['["sleep", "infinity"]', undefined],
    ['["sh", "-c", "until redis-cli -h redis ping; do sleep 1; done"]', undefined],
    ['["/usr/local/bin/redis-cli", "-h", "redis", "monitor"]', undefined],
    ['["sh", "-c", "exec redis-server --appendonly yes"]', 'disabled'],
    ['["redis-server", "/etc/redis/redis.conf"]', 'unknown'],
  ])('command %s → auth %s', (command, state) => {
    const [workload] = run(sourceFile('pod.yaml', pod(command))).model.workloads ?? [];
    expect(workload?.auth?.state).toBe(state);
  });
});
