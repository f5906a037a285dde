-- The schema of the original Python Pamps at alembic head e71d88346f62.
-- A database that already has it (an adopted one) keeps its tables as they are;
-- a fresh one gets them, so both take the same upgrade path below.
CREATE TABLE IF NOT EXISTS "user" (
    id SERIAL PRIMARY KEY,
    email VARCHAR NOT NULL UNIQUE,
    username VARCHAR NOT NULL UNIQUE,
    avatar VARCHAR,
    bio VARCHAR,
    password VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS post (
    id SERIAL PRIMARY KEY,
    text VARCHAR NOT NULL,
    date TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    user_id INTEGER REFERENCES "user" (id),
    parent_id INTEGER REFERENCES post (id)
);
