# The fixed security group: only 443 is public; datastores are reachable from the VPC only.
variable "admin_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/16"]
}

module "stack_sg" {
  source            = "./modules/datastore-sg"
  name              = "analytics"
  datastore_ports   = [9200, 27017, 6379]
  datastore_sources = var.admin_cidrs
}

resource "aws_db_instance" "reports" {
  identifier          = "reports"
  engine              = "postgres"
  instance_class      = "db.t3.medium"
  publicly_accessible = false
}
