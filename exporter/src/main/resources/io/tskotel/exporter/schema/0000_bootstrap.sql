-- Run before every migration check: the database and the table that records applied migrations.
-- Placeholders (${...}) take only validated identifiers and numbers from the store's configuration.

CREATE DATABASE IF NOT EXISTS ${db}${on_cluster};

CREATE TABLE IF NOT EXISTS ${table:tskotel_schema_migrations}${on_cluster} (
    Version UInt32,
    Name String,
    Checksum String,
    AppliedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ${engine}
ORDER BY Version;

-- @cluster
CREATE TABLE IF NOT EXISTS ${dist:tskotel_schema_migrations}${on_cluster} AS ${table:tskotel_schema_migrations}
ENGINE = Distributed(${cluster_literal}, ${db_literal}, ${local_literal:tskotel_schema_migrations}, rand());
