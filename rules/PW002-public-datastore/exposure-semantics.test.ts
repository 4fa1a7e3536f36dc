/**
 * PW002 cases: products per port and protocol, private ranges, load balancer controllers, entry points to datastores.
 * Each case is a folder of fixtures/{valid,invalid}/<format>/ named after it; the valid one is
 * the invalid one's near miss (issue 13 and the mutation survivors of issue 18).
 */
import { describe, expect, it } from 'vitest';
import { expectCaseFindings, expectCaseSilent, relatedAt } from '../../test/helpers/rule-tester.js';

describe('PW002 exposure semantics', () => {
  it('names the product by the container port: host 8080 to container 9200 is Elasticsearch', async () => {
    const findings = await expectCaseFindings('PW002', 'compose', 'container-port-decides', [
      ['docker-compose.yml', 7, 9, 7, 20],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'search' exposes Elasticsearch HTTP 9200 on port 8080/tcp (container port 9200/tcp) to the internet (source: all interfaces (no host IP))",
    ]);
  });

  it('reports a published Redis port on the bridge network', async () => {
    const findings = await expectCaseFindings('PW002', 'compose', 'network-mode-bridge', [
      ['docker-compose.yml', 8, 9, 8, 20],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'cache' exposes Redis 7.2 on port 6379/tcp to the internet (source: all interfaces (no host IP))",
    ]);
  });

  it('names a product per port for an unknown image: 5601 is Kibana, 9300 Elasticsearch transport; 5044 and 5000-5010 are not datastores', async () => {
    const findings = await expectCaseFindings('PW002', 'compose', 'product-per-port', [
      ['docker-compose.yml', 8, 9, 8, 20],
      ['docker-compose.yml', 11, 9, 11, 20],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'elk' exposes Kibana 5601 on port 5601/tcp to the internet (source: all interfaces (no host IP))",
      "service 'elk' exposes Elasticsearch transport 9300 on port 9300/tcp to the internet (source: all interfaces (no host IP))",
    ]);
  });

  it('reports Kibana behind a public Ingress, HTTPRoute and OpenShift Route on 443, and Redis behind a TCPRoute, with the backend Service and container as related locations', async () => {
    const findings = await expectCaseFindings('PW002', 'kubernetes', 'entry-point-to-datastore', [
      ['kibana.yaml', 48, 23, 48, 29],
      ['kibana.yaml', 72, 17, 72, 23],
      ['kibana.yaml', 83, 11, 83, 17],
      ['kibana.yaml', 111, 17, 111, 22],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "Ingress/kibana (backend Service/kibana) exposes Kibana 8.13 on port 443/tcp (container port 5601/tcp) to the internet (source: any address (public Ingress))",
      "HTTPRoute/kibana (backend Service/kibana) exposes Kibana 8.13 on port 443/tcp (container port 5601/tcp) to the internet (source: any address (public HTTPRoute))",
      "Route/kibana (backend Service/kibana) exposes Kibana 8.13 on port 443/tcp (container port 5601/tcp) to the internet (source: any address (public Route))",
      "TCPRoute/redis (backend Service/redis) exposes Redis 7.2 on port 6380/tcp (container port 6379/tcp) to the internet (source: any address (public TCPRoute))",
    ]);
    expect(relatedAt(findings[0]!)).toEqual([
      ["kibana.yaml",28,7,"backend Service/kibana port"],
      ["kibana.yaml",15,11,"container 'kibana' of Deployment/kibana serves it"],
    ]);
    expect(relatedAt(findings[1]!)).toEqual([
      ["kibana.yaml",28,7,"backend Service/kibana port"],
      ["kibana.yaml",15,11,"container 'kibana' of Deployment/kibana serves it"],
    ]);
    expect(relatedAt(findings[2]!)).toEqual([
      ["kibana.yaml",28,7,"backend Service/kibana port"],
      ["kibana.yaml",15,11,"container 'kibana' of Deployment/kibana serves it"],
    ]);
    expect(relatedAt(findings[3]!)).toEqual([
      ["kibana.yaml",121,7,"backend Service/redis port"],
      ["kibana.yaml",135,11,"container 'redis' of Deployment/redis serves it"],
    ]);
  });

  it('reports every internal-load-balancer annotation set to a public value, incl. scheme internet-facing', async () => {
    const findings = await expectCaseFindings('PW002', 'kubernetes', 'internal-load-balancer-rows-near-miss', [
      ['services.yaml', 12, 7, 12, 17],
      ['services.yaml', 24, 7, 24, 17],
      ['services.yaml', 36, 7, 36, 17],
      ['services.yaml', 48, 7, 48, 17],
      ['services.yaml', 60, 7, 60, 17],
      ['services.yaml', 72, 7, 72, 17],
      ['services.yaml', 84, 7, 84, 17],
      ['services.yaml', 96, 7, 96, 17],
      ['services.yaml', 108, 7, 108, 17],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "Service/aws-scheme-internet-facing exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/aws-legacy-false exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/gke-external exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/gke-legacy-external exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/azure-false exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/oci-false exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/openstack-false exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/alibaba-internet exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/ibm-public exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
    ]);
  });

  it('reports the AWS LBC with scheme internet-facing, scheme internet-facing beside the legacy internal annotation, and the in-tree NLB', async () => {
    const findings = await expectCaseFindings('PW002', 'kubernetes', 'load-balancer-controllers-near-miss', [
      ['services.yaml', 14, 7, 14, 17],
      ['services.yaml', 27, 7, 27, 17],
      ['services.yaml', 39, 7, 39, 17],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "Service/lbc-internet-facing exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/scheme-wins exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
      "Service/in-tree-nlb exposes Redis 7.2 on port 6379/tcp to the internet (source: any address (LoadBalancer))",
    ]);
  });

  it('says a NodePort without nodePort exposes an allocated port of 30000-32767, not the Service port', async () => {
    const findings = await expectCaseFindings('PW002', 'kubernetes', 'node-port-allocated', [
      ['service.yaml', 11, 7, 11, 17],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "Service/redis exposes Redis 7.2 on ports 30000-32767/tcp (container port 6379/tcp) to the internet (source: every node address (NodePort, one port allocated in 30000-32767))",
    ]);
  });

  it('keeps the message short for every protocol on a wide range (three products and a count)', async () => {
    const findings = await expectCaseFindings('PW002', 'terraform', 'all-protocols-wide-range', [
      ['main.tf', 11, 33, 11, 36],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "azurerm_network_security_rule.wide exposes SSH 22, SQL Server 1433, Oracle 1521 and 27 more datastore ports on ports 1-30000 to the internet (source: *)",
    ]);
  });

  it('keeps an allow open when the deny before it covers another destination only', async () => {
    const findings = await expectCaseFindings('PW002', 'terraform', 'azure-any-destination-near-miss', [
      ['main.tf', 16, 34, 16, 37],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "azurerm_network_security_group.search exposes Elasticsearch HTTP 9200 on port 9200/tcp to the internet (source: *)",
    ]);
  });

  it('reports an internet-facing aws_lb listener on 443 forwarding to an Elasticsearch target group, at the forward', async () => {
    const findings = await expectCaseFindings('PW002', 'terraform', 'load-balancer-to-datastore', [
      ['main.tf', 25, 24, 25, 50],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_lb_listener.tls (target group aws_lb_target_group.es) exposes Elasticsearch HTTP 9200 on port 443/tcp (target group port 9200/tcp) to the internet (source: any address (internet-facing aws_lb.search))",
    ]);
    expect(relatedAt(findings[0]!)).toEqual([
      ["main.tf",12,3,"target group aws_lb_target_group.es forwards to port 9200"],
      ["main.tf",6,3,"aws_lb.search is internet-facing (internal = false)"],
    ]);
  });

  it('reports public ranges at the prefix threshold that contain a private range (172.0.0.0/8, 100.0.0.0/8, fc00::/6)', async () => {
    const findings = await expectCaseFindings('PW002', 'terraform', 'private-ranges-near-miss', [
      ['main.tf', 8, 23, 8, 36],
      ['main.tf', 17, 23, 17, 36],
      ['main.tf', 26, 23, 26, 33],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_security_group_rule.around_docker exposes PostgreSQL 5432 on port 5432/tcp to the internet (source: 172.0.0.0/8)",
      "aws_security_group_rule.around_cgnat exposes PostgreSQL 5432 on port 5432/tcp to the internet (source: 100.0.0.0/8)",
      "aws_security_group_rule.around_unique_local exposes PostgreSQL 5432 on port 5432/tcp to the internet (source: fc00::/6)",
    ]);
  });

  it('reads the catalogue per protocol: UDP 11211 is memcached', async () => {
    const findings = await expectCaseFindings('PW002', 'terraform', 'udp-catalogue', [
      ['main.tf', 7, 23, 7, 34],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_security_group_rule.memcached_udp exposes memcached 11211 on port 11211/udp to the internet (source: 0.0.0.0/0)",
    ]);
  });

  it('does not name a product by the host port: host 9200 to container 8080 is no datastore', async () => {
    await expectCaseSilent('PW002', 'compose', 'container-port-decides-near-miss');
  });

  it('ignores ports: under network_mode: host (Docker does; PW006 reports the host network)', async () => {
    await expectCaseSilent('PW002', 'compose', 'network-mode-host');
  });

  it('does not lend one port\'s product to the other ports of an unknown image', async () => {
    await expectCaseSilent('PW002', 'compose', 'product-per-port-near-miss');
  });

  it('stays silent for internal entry points to a datastore and for public ones to a web app', async () => {
    await expectCaseSilent('PW002', 'kubernetes', 'entry-point-to-datastore-near-miss');
  });

  it('treats every internal-load-balancer annotation row of the code table as private', async () => {
    await expectCaseSilent('PW002', 'kubernetes', 'internal-load-balancer-rows');
  });

  it('treats the AWS Load Balancer Controller (class service.k8s.aws/nlb, type external or nlb-ip) as internal without a scheme', async () => {
    await expectCaseSilent('PW002', 'kubernetes', 'load-balancer-controllers');
  });

  it('stays silent for the same Service as ClusterIP', async () => {
    await expectCaseSilent('PW002', 'kubernetes', 'node-port-allocated-near-miss');
  });

  it('closes an allow with a deny for destination Any judged before it', async () => {
    await expectCaseSilent('PW002', 'terraform', 'azure-any-destination');
  });

  it('stays silent for the same listener on an internal load balancer', async () => {
    await expectCaseSilent('PW002', 'terraform', 'load-balancer-to-datastore-near-miss');
  });

  it('treats 172.16.0.0/12 (and 172.20.0.0/16 inside it), 100.64.0.0/10, fc00::/7 and fe80::/10 as private', async () => {
    await expectCaseSilent('PW002', 'terraform', 'private-ranges');
  });

  it('does not call UDP 22 SSH (SSH is TCP only)', async () => {
    await expectCaseSilent('PW002', 'terraform', 'udp-catalogue-near-miss');
  });
});
