-- Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d): the
-- databases of the stack (stack/src/postgres/databases.ts). The db-migrate service applies the
-- Prisma migrations to monolith and users_service; Unleash migrates its own database.
CREATE DATABASE monolith;
CREATE DATABASE users_service;
CREATE DATABASE unleash;
