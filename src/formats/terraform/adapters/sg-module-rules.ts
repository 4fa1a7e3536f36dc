/**
 * The named rules and submodule rule groups of terraform-aws-modules/security-group (the
 * most used security-group module), so module calls can be understood without downloading
 * the module. Format: "name from to protocol" (protocol as the module writes it: tcp, udp,
 * icmp, -1 for all, 58 for ICMPv6) and "submodule: rule names" for auto_ingress_rules.
 */

const RULES = `
activemq-5671-tcp 5671 5671 tcp
activemq-8883-tcp 8883 8883 tcp
activemq-61614-tcp 61614 61614 tcp
activemq-61617-tcp 61617 61617 tcp
activemq-61619-tcp 61619 61619 tcp
alertmanager-9093-tcp 9093 9093 tcp
alertmanager-9094-tcp 9094 9094 tcp
carbon-line-in-tcp 2003 2003 tcp
carbon-line-in-udp 2003 2003 udp
carbon-pickle-tcp 2013 2013 tcp
carbon-pickle-udp 2013 2013 udp
carbon-admin-tcp 2004 2004 tcp
carbon-gui-udp 8081 8081 tcp
cassandra-clients-tcp 9042 9042 tcp
cassandra-thrift-clients-tcp 9160 9160 tcp
cassandra-jmx-tcp 7199 7199 tcp
consul-tcp 8300 8300 tcp
consul-grpc-tcp 8502 8502 tcp
consul-grpc-tcp-tls 8503 8503 tcp
consul-webui-http-tcp 8500 8500 tcp
consul-webui-https-tcp 8501 8501 tcp
consul-dns-tcp 8600 8600 tcp
consul-dns-udp 8600 8600 udp
consul-serf-lan-tcp 8301 8301 tcp
consul-serf-lan-udp 8301 8301 udp
consul-serf-wan-tcp 8302 8302 tcp
consul-serf-wan-udp 8302 8302 udp
dax-cluster-unencrypted-tcp 8111 8111 tcp
dax-cluster-encrypted-tcp 9111 9111 tcp
docker-swarm-mngmt-tcp 2377 2377 tcp
docker-swarm-node-tcp 7946 7946 tcp
docker-swarm-node-udp 7946 7946 udp
docker-swarm-overlay-udp 4789 4789 udp
dns-udp 53 53 udp
dns-tcp 53 53 tcp
etcd-client-tcp 2379 2379 tcp
etcd-peer-tcp 2380 2380 tcp
ntp-udp 123 123 udp
elasticsearch-rest-tcp 9200 9200 tcp
elasticsearch-java-tcp 9300 9300 tcp
grafana-tcp 3000 3000 tcp
graphite-webui 80 80 tcp
graphite-2003-tcp 2003 2003 tcp
graphite-2004-tcp 2004 2004 tcp
graphite-2023-tcp 2023 2023 tcp
graphite-2024-tcp 2024 2024 tcp
graphite-8080-tcp 8080 8080 tcp
graphite-8125-tcp 8125 8125 tcp
graphite-8125-udp 8125 8125 udp
graphite-8126-tcp 8126 8126 tcp
http-80-tcp 80 80 tcp
http-8080-tcp 8080 8080 tcp
https-443-tcp 443 443 tcp
https-8443-tcp 8443 8443 tcp
ipsec-500-udp 500 500 udp
ipsec-4500-udp 4500 4500 udp
kafka-broker-tcp 9092 9092 tcp
kafka-broker-tls-tcp 9094 9094 tcp
kafka-broker-tls-public-tcp 9194 9194 tcp
kafka-broker-sasl-scram-tcp 9096 9096 tcp
kafka-broker-sasl-scram-public-tcp 9196 9196 tcp
kafka-broker-sasl-iam-tcp 9098 9098 tcp
kafka-broker-sasl-iam-public-tcp 9198 9198 tcp
kafka-jmx-exporter-tcp 11001 11001 tcp
kafka-node-exporter-tcp 11002 11002 tcp
kibana-tcp 5601 5601 tcp
kubernetes-api-tcp 6443 6443 tcp
ldap-tcp 389 389 tcp
ldaps-tcp 636 636 tcp
logstash-tcp 5044 5044 tcp
loki-grafana 3100 3100 tcp
loki-grafana-grpc 9095 9095 tcp
memcached-tcp 11211 11211 tcp
minio-tcp 9000 9000 tcp
mongodb-27017-tcp 27017 27017 tcp
mongodb-27018-tcp 27018 27018 tcp
mongodb-27019-tcp 27019 27019 tcp
mysql-tcp 3306 3306 tcp
mssql-tcp 1433 1433 tcp
mssql-udp 1434 1434 udp
mssql-analytics-tcp 2383 2383 tcp
mssql-broker-tcp 4022 4022 tcp
nfs-tcp 2049 2049 tcp
nomad-http-tcp 4646 4646 tcp
nomad-rpc-tcp 4647 4647 tcp
nomad-serf-tcp 4648 4648 tcp
nomad-serf-udp 4648 4648 udp
openvpn-udp 1194 1194 udp
openvpn-tcp 943 943 tcp
openvpn-https-tcp 443 443 tcp
postgresql-tcp 5432 5432 tcp
puppet-tcp 8140 8140 tcp
puppetdb-tcp 8081 8081 tcp
prometheus-http-tcp 9090 9090 tcp
prometheus-pushgateway-http-tcp 9091 9091 tcp
prometheus-node-exporter-http-tcp 9100 9100 tcp
promtail-http 9080 9080 tcp
oracle-db-tcp 1521 1521 tcp
octopus-tentacle-tcp 10933 10933 tcp
rabbitmq-4369-tcp 4369 4369 tcp
rabbitmq-5671-tcp 5671 5671 tcp
rabbitmq-5672-tcp 5672 5672 tcp
rabbitmq-15672-tcp 15672 15672 tcp
rabbitmq-25672-tcp 25672 25672 tcp
rdp-tcp 3389 3389 tcp
rdp-udp 3389 3389 udp
redis-tcp 6379 6379 tcp
redshift-tcp 5439 5439 tcp
saltstack-tcp 4505 4506 tcp
smtp-tcp 25 25 tcp
smtp-submission-587-tcp 587 587 tcp
smtp-submission-2587-tcp 2587 2587 tcp
smtps-465-tcp 465 465 tcp
smtps-2456-tcp 2465 2465 tcp
solr-tcp 8983 8987 tcp
splunk-indexer-tcp 9997 9997 tcp
splunk-web-tcp 8000 8000 tcp
splunk-splunkd-tcp 8089 8089 tcp
splunk-hec-tcp 8088 8088 tcp
squid-proxy-tcp 3128 3128 tcp
ssh-tcp 22 22 tcp
storm-nimbus-tcp 6627 6627 tcp
storm-ui-tcp 8080 8080 tcp
storm-supervisor-tcp 6700 6703 tcp
vault-tcp 8200 8200 tcp
wazuh-server-agent-connection-tcp 1514 1514 tcp
wazuh-server-agent-connection-udp 1514 1514 udp
wazuh-server-agent-enrollment 1515 1515 tcp
wazuh-server-agent-cluster-daemon 1516 1516 tcp
wazuh-server-syslog-collector-tcp 514 514 tcp
wazuh-server-syslog-collector-udp 514 514 udp
wazuh-server-restful-api 55000 55000 tcp
wazuh-indexer-restful-api 9200 9200 tcp
wazuh-dashboard 443 443 tcp
web-jmx-tcp 1099 1099 tcp
winrm-http-tcp 5985 5985 tcp
winrm-https-tcp 5986 5986 tcp
zabbix-server 10051 10051 tcp
zabbix-proxy 10051 10051 tcp
zabbix-agent 10050 10050 tcp
zipkin-admin-tcp 9990 9990 tcp
zipkin-admin-query-tcp 9901 9901 tcp
zipkin-admin-web-tcp 9991 9991 tcp
zipkin-query-tcp 9411 9411 tcp
zipkin-web-tcp 8080 8080 tcp
zookeeper-2181-tcp 2181 2181 tcp
zookeeper-2182-tls-tcp 2182 2182 tcp
zookeeper-2888-tcp 2888 2888 tcp
zookeeper-3888-tcp 3888 3888 tcp
zookeeper-jmx-tcp 7199 7199 tcp
all-all -1 -1 -1
all-tcp 0 65535 tcp
all-udp 0 65535 udp
all-icmp -1 -1 icmp
all-ipv6-icmp -1 -1 58`;

const AUTO_GROUPS = `
activemq: activemq-5671-tcp activemq-8883-tcp activemq-61614-tcp activemq-61617-tcp activemq-61619-tcp
alertmanager: alertmanager-9093-tcp alertmanager-9094-tcp
carbon-relay-ng: carbon-line-in-tcp carbon-line-in-udp carbon-pickle-tcp carbon-pickle-udp carbon-gui-udp
cassandra: cassandra-clients-tcp cassandra-thrift-clients-tcp cassandra-jmx-tcp
consul: consul-tcp consul-grpc-tcp consul-grpc-tcp-tls consul-webui-http-tcp consul-webui-https-tcp consul-dns-tcp consul-dns-udp consul-serf-lan-tcp consul-serf-lan-udp consul-serf-wan-tcp consul-serf-wan-udp
dax-cluster: dax-cluster-unencrypted-tcp dax-cluster-encrypted-tcp
docker-swarm: docker-swarm-mngmt-tcp docker-swarm-node-tcp docker-swarm-node-udp docker-swarm-overlay-udp
etcd: etcd-client-tcp etcd-peer-tcp
elasticsearch: elasticsearch-rest-tcp elasticsearch-java-tcp
grafana: grafana-tcp
graphite-statsd: graphite-webui graphite-2003-tcp graphite-2004-tcp graphite-2023-tcp graphite-2024-tcp graphite-8080-tcp graphite-8125-tcp graphite-8125-udp graphite-8126-tcp
http-80: http-80-tcp
http-8080: http-8080-tcp
https-443: https-443-tcp
https-8443: https-8443-tcp
ipsec-500: ipsec-500-udp
ipsec-4500: ipsec-4500-udp
kafka: kafka-broker-tcp kafka-broker-tls-tcp kafka-broker-tls-public-tcp kafka-broker-sasl-scram-tcp kafka-broker-sasl-scram-tcp kafka-broker-sasl-iam-tcp kafka-broker-sasl-iam-public-tcp kafka-jmx-exporter-tcp kafka-node-exporter-tcp
kubernetes-api: kubernetes-api-tcp
kibana: kibana-tcp
ldap: ldap-tcp
ldaps: ldaps-tcp
logstash: logstash-tcp
loki: loki-grafana loki-grafana-grpc
memcached: memcached-tcp
minio: minio-tcp
mongodb: mongodb-27017-tcp mongodb-27018-tcp mongodb-27019-tcp
mysql: mysql-tcp
mssql: mssql-tcp mssql-udp mssql-analytics-tcp mssql-broker-tcp
nfs: nfs-tcp
nomad: nomad-http-tcp nomad-rpc-tcp nomad-serf-tcp nomad-serf-udp
openvpn: openvpn-udp openvpn-tcp openvpn-https-tcp
postgresql: postgresql-tcp
oracle-db: oracle-db-tcp
ntp: ntp-udp
puppet: puppet-tcp puppetdb-tcp
prometheus: prometheus-http-tcp prometheus-pushgateway-http-tcp prometheus-node-exporter-http-tcp
promtail: promtail-http
rabbitmq: rabbitmq-4369-tcp rabbitmq-5671-tcp rabbitmq-5672-tcp rabbitmq-15672-tcp rabbitmq-25672-tcp
rdp: rdp-tcp rdp-udp
redis: redis-tcp
redshift: redshift-tcp
smtp: smtp-tcp
smtp-submission: smtp-submission-587-tcp smtp-submission-2587-tcp
smtps: smtps-465-tcp smtps-2465-tcp
solr: solr-tcp
splunk: splunk-indexer-tcp splunk-web-tcp splunk-splunkd-tcp splunk-hec-tcp
squid: squid-proxy-tcp
ssh: ssh-tcp
storm: storm-nimbus-tcp storm-ui-tcp storm-supervisor-tcp
vault: vault-tcp
wazuh: wazuh-server-agent-connection-tcp wazuh-server-agent-connection-udp wazuh-server-agent-enrollment wazuh-server-agent-cluster-daemon wazuh-server-syslog-collector-tcp wazuh-server-syslog-collector-udp wazuh-server-restful-api wazuh-indexer-restful-api wazuh-dashboard
web: http-80-tcp http-8080-tcp https-443-tcp web-jmx-tcp
winrm: winrm-http-tcp winrm-https-tcp
zabbix: zabbix-server zabbix-proxy zabbix-agent
zipkin: zipkin-admin-tcp zipkin-admin-query-tcp zipkin-admin-web-tcp zipkin-query-tcp zipkin-web-tcp
zookeeper: zookeeper-2181-tcp zookeeper-2182-tls-tcp zookeeper-2888-tcp zookeeper-3888-tcp zookeeper-jmx-tcp`;

interface NamedRule {
  from: number;
  to: number;
  protocol: string;
}

export const SECURITY_GROUP_MODULE_RULES: ReadonlyMap<string, NamedRule> = new Map(
  RULES.trim()
    .split('\n')
    .map((line) => {
      const [name, from, to, protocol] = line.trim().split(/\s+/);
      return [name!, { from: Number(from), to: Number(to), protocol: protocol! }] as const;
    }),
);

/** Submodule name (modules/<name>) -> its default auto_ingress_rules. */
export const SECURITY_GROUP_MODULE_AUTO_INGRESS: ReadonlyMap<string, readonly string[]> = new Map(
  AUTO_GROUPS.trim()
    .split('\n')
    .map((line) => {
      const [name, rules] = line.split(':');
      return [name!.trim(), rules!.trim().split(/\s+/)] as const;
    }),
);
