# The security group of the same stack on AWS: "temporarily" open for debugging.
variable "admin_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
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
  publicly_accessible = true
}
