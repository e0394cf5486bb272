-- Binding the user's tables: validation, rebinding, the bound views.
CREATE SCHEMA binding_test;
SET search_path = binding_test, public;
SET client_min_messages = notice;
\set SHOW_CONTEXT never

CREATE TABLE orders (id serial, customer_id bigint, ordered_at timestamptz, amount numeric(12,2), note text);
CREATE TABLE orders_by_code (code text, day date, total integer);
CREATE TABLE visits (customer_id integer, seen_at timestamp, kind text);
CREATE TABLE accounts (customer_id bigint PRIMARY KEY, opted_out boolean, fit real, extra text);
CREATE TABLE devices (id uuid, at timestamptz, amount numeric);
CREATE SEQUENCE not_a_table;

-- Nothing bound: the bound views exist and are empty.
SELECT count(*) FROM dormant.bound_transactions;
SELECT * FROM dormant.binding;

-- Errors, each naming what is wrong.
SELECT dormant.bind_transactions('no_such_table', 'customer_id', 'ordered_at', 'amount');
SELECT dormant.bind_transactions('not_a_table', 'customer_id', 'ordered_at', 'amount');
SELECT dormant.bind_transactions('orders', 'client', 'ordered_at', 'amount');
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', NULL);
SELECT dormant.bind_transactions('orders', 'customer_id', 'note', 'amount');
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'note');
SELECT dormant.bind_transactions('orders', 'ordered_at', 'ordered_at', 'amount');
SELECT dormant.bind_activities('visits', 'customer_id', 'seen_at', 'seen_at');
SELECT dormant.unbind('customers');
SELECT dormant.unbind('everything');
INSERT INTO dormant.binding (input, source, customer_column) VALUES ('orders', 'orders', 'customer_id');

-- A table the binding role cannot read.
CREATE ROLE binding_test_clerk;
GRANT USAGE ON SCHEMA binding_test TO binding_test_clerk;
GRANT SELECT (customer_id, ordered_at) ON orders TO binding_test_clerk;
GRANT UPDATE, INSERT, DELETE ON dormant.binding TO binding_test_clerk;
SET ROLE binding_test_clerk;
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
RESET ROLE;
REVOKE ALL ON dormant.binding FROM binding_test_clerk;
REVOKE ALL ON orders FROM binding_test_clerk;
REVOKE ALL ON SCHEMA binding_test FROM binding_test_clerk;
DROP ROLE binding_test_clerk;

-- A good binding, and what the bound view shows.
INSERT INTO orders (customer_id, ordered_at, amount) VALUES
	(7, '2026-01-05 10:00+00', 12.50), (7, '2026-02-05 10:00+00', -2.50), (8, '2026-03-01 09:00+00', 99);
SELECT dormant.bind_transactions('orders', 'customer_id', 'ordered_at', 'amount');
SELECT input, source, customer_column, occurred_at_column, amount_column, kind_column, bound_by = current_user AS by_me
  FROM dormant.binding;
SELECT * FROM dormant.bound_transactions ORDER BY customer_id, occurred_at;

-- Keys must agree across sources: text codes do not join integer keys.
SELECT dormant.bind_customers('orders_by_code', 'code');
SELECT dormant.bind_activities('devices', 'id', 'at', 'amount');

-- Customers: the optional columns present are read, the others are NULL.
INSERT INTO accounts VALUES (7, false, 0.8, 'x'), (9, true, NULL, 'y');
SELECT dormant.bind_customers('accounts', 'customer_id');
SELECT * FROM dormant.bound_customers ORDER BY customer_id;

-- Activities: integer keys join bigint ones; unknown kinds are counted.
INSERT INTO visits VALUES (7, '2026-04-01 12:00', 'web_visit'), (7, '2026-04-02 12:00', 'newsletter'),
	(8, '2026-04-03 12:00', 'newsletter'), (8, '2026-04-03 13:00', 'chat');
SELECT dormant.bind_activities('visits', 'customer_id', 'seen_at', 'kind');
SELECT * FROM dormant.bound_activities ORDER BY customer_id, occurred_at;
-- A NULL kind is unknown too; a quote in a kind is quoted.  The known kinds
-- are looked up in a hash when there are nine or more, as shipped, and one
-- by one when fewer; with none, every kind is unknown.
INSERT INTO visits VALUES (9, '2026-04-04 12:00', NULL), (9, '2026-04-05 12:00', 'o''clock');
SELECT dormant.notice_unknown_kinds();
BEGIN;
DELETE FROM dormant.activity_kind WHERE kind <> 'web_visit';
SELECT dormant.notice_unknown_kinds();
DELETE FROM dormant.activity_kind;
SELECT dormant.notice_unknown_kinds();
ROLLBACK;
DELETE FROM visits WHERE customer_id = 9;

-- Rebinding replaces: text keys and a date column, once the others are unbound.
SELECT dormant.unbind('customers');
SELECT dormant.unbind('activities');
SELECT dormant.bind_transactions('orders_by_code', 'code', 'day', 'total');
INSERT INTO orders_by_code VALUES ('A-1', '2026-05-01', 30);
SELECT * FROM dormant.bound_transactions;
SELECT count(*) AS bindings FROM dormant.binding;

-- A bound table cannot be dropped while bound.
DROP TABLE orders_by_code;
SELECT dormant.unbind('transactions');
DROP TABLE orders_by_code;
SELECT count(*) FROM dormant.bound_transactions;

-- uuid keys.
SELECT dormant.bind_transactions('devices', 'id', 'at', 'amount');
INSERT INTO devices VALUES ('6ba7b810-9dad-11d1-80b4-00c04fd430c8', '2026-01-01', 1);
SELECT * FROM dormant.bound_transactions;
SELECT dormant.unbind('transactions');

-- The shipped activity kinds, and the rule that weights are not negative.
SELECT kind, axis, weight FROM dormant.activity_kind ORDER BY axis, kind;
INSERT INTO dormant.activity_kind (kind, axis, weight) VALUES ('webinar', 'behaviour', -1);
INSERT INTO dormant.activity_kind (kind, axis, weight) VALUES ('webinar', 'mood', 1);

RESET search_path;
DROP SCHEMA binding_test CASCADE;
