/**
 * A standalone azurerm_network_security_rule joins the NSG named in network_security_group_name
 * only in the same resource group: there the NSG's earlier deny closes it; in another resource
 * group it is another NSG's rule and stands. (Survivor of the mutation run in
 * src/formats/terraform/adapters/azure.ts linkedGroup.)
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const tf = (rg: string) => `resource "azurerm_network_security_group" "web" {
  name                = "web-nsg"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule {
    name                       = "deny-ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_rule" "ssh" {
  name                        = "allow-ssh"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = "${rg}"
  network_security_group_name = "web-nsg"
}
`;
describe('Azure NSG rules linked by name', () => {
  it('the same resource group: the NSG\'s deny at priority 100 closes the allow at 200', async () => {
    expect((await lintTree({ 'main.tf': tf('rg-web') })).findings).toEqual([]);
  });

  it('another resource group: the allow stands, reported at its source prefix', async () => {
    const result = await lintTree({ 'main.tf': tf('rg-other') });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related }))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 27, column: 33, endLine: 27, endColumn: 36, message: 'azurerm_network_security_rule.ssh exposes SSH 22 on port 22/tcp to the internet (source: *)', related: [] },
    ]);
  });
});
