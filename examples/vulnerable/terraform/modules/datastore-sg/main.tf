# A small local module: one security group for the stack, HTTPS plus the datastore ports.
variable "name" {
  type = string
}

variable "datastore_ports" {
  type = list(number)
}

variable "datastore_sources" {
  type = list(string)
}

resource "aws_security_group" "this" {
  name        = var.name
  description = "${var.name} stack"

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  dynamic "ingress" {
    for_each = var.datastore_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.datastore_sources
    }
  }
}
