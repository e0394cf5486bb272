-- A generated B2C shop in schema demo: customers, their orders and refunds,
-- and their other touchpoints (mail opens, web visits, complaints ...).
--
--   psql -v ON_ERROR_STOP=1 -f tools/demo_data.sql \
--        [-v customers=20000] [-v years=2] [-v as_of=2026-11-01] [-v seed=0.42]
--        [-v activities=on]
--
-- Everything happens before as_of and follows from seed alone (never from
-- now()), so the same variables give the same shop.  The random draws are
-- made in statements that the planner cannot run in parallel (random() is
-- parallel restricted), so their order, and thus the data, is fixed.
--
-- Customers follow one of four patterns, unknown to the extension:
--   loyal      regular buyers, still buying
--   fading     gaps between purchases lengthen, then they stop
--   one_off    a single purchase
--   returning  a first spell, a long pause, then back again
-- A customer makes ten or eleven orders on average, over two years as over
-- three; about 3% of orders are refunded, in full or in part, days later.

\if :{?customers}
\else
\set customers 20000
\endif
\if :{?years}
\else
\set years 2
\endif
\if :{?as_of}
\else
\set as_of 2026-11-01
\endif
\if :{?seed}
\else
\set seed 0.42
\endif
\if :{?activities}
\else
\set activities on
\endif

SET client_min_messages = warning;
DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;
RESET client_min_messages;
-- Each statement runs once: compiling its expressions would not pay off.
-- The keys and indexes built at the end sort in memory.
SET jit = off;
SET maintenance_work_mem = '256MB';

CREATE TABLE demo.customers (
	customer_id bigint NOT NULL,
	name text NOT NULL,
	opted_out boolean NOT NULL,
	policy text NOT NULL,
	reason text,
	fit real NOT NULL,
	fiscal_year_end smallint NOT NULL,
	email_ok boolean NOT NULL,
	phone_ok boolean NOT NULL,
	mail_ok boolean NOT NULL
);
COMMENT ON TABLE demo.customers IS 'Customers of the generated shop';
COMMENT ON COLUMN demo.customers.opted_out IS 'Asked never to be contacted again';
COMMENT ON COLUMN demo.customers.reason IS 'Why they stopped buying, when they told us';
COMMENT ON COLUMN demo.customers.fit IS 'How well they match the target market, 0 to 1';

CREATE TABLE demo.orders (
	order_id bigint NOT NULL,
	customer_id bigint NOT NULL,
	ordered_at timestamptz NOT NULL,
	amount numeric(12, 2) NOT NULL
);
COMMENT ON TABLE demo.orders IS 'Orders of the generated shop, in the order they arrived; refunds have negative amounts';

CREATE TABLE demo.activities (
	customer_id bigint NOT NULL,
	occurred_at timestamptz NOT NULL,
	kind text NOT NULL
);
COMMENT ON TABLE demo.activities IS 'Touchpoints other than orders: mail opens, web visits, downloads, meetings, complaints ...';

SELECT setseed(:seed) \g /dev/null
SELECT extract(epoch FROM :'as_of'::timestamptz) AS as_of_epoch \gset

-- The hidden plan of each customer: pattern, first and last purchase (in
-- days before as_of), number of orders and typical basket.  It shapes the
-- orders and the activities, then goes away with the session.
CREATE TEMPORARY TABLE customer_plan AS
WITH draws AS MATERIALIZED (
	SELECT i AS customer_id,
		   random() AS u_pattern, random() AS u_first, random() AS u_last,
		   random() AS u_count, random() AS u_count2, random() AS u_spell,
		   random() AS u_pause, random() AS u_basket1, random() AS u_basket2,
		   random() AS u_spender
	FROM generate_series(1, :customers) i
),
patterned AS (
	SELECT d.*, :years * 365.25 AS horizon,
		   CASE
			   WHEN u_pattern < 0.25 THEN 'loyal'
			   WHEN u_pattern < 0.50 THEN 'fading'
			   WHEN u_pattern < 0.85 THEN 'one_off'
			   ELSE 'returning'
		   END AS pattern
	FROM draws d
),
-- returning buyers, backwards from as_of: back since last_ago, a second
-- spell, a pause of seven to fourteen months, a first spell; squeezed into
-- the horizon when longer
comebacks AS (
	SELECT customer_id, horizon,
		   -30 * ln(1 - u_last) AS last_ago,
		   30 + 150 * u_spell AS spell2,
		   210 + 210 * u_pause AS pause,
		   30 + 170 * u_spell AS spell1
	FROM patterned
	WHERE pattern = 'returning'
),
comebacks_fit AS (
	SELECT customer_id, last_ago, spell2, pause, spell1,
		   least(1, horizon / (last_ago + spell2 + pause + spell1)) AS squeeze
	FROM comebacks
)
SELECT p.customer_id, p.pattern,
	   CASE p.pattern
		   WHEN 'loyal' THEN horizon * (0.15 + 0.85 * u_first)
		   WHEN 'fading' THEN horizon * (0.30 + 0.70 * u_first)
		   WHEN 'one_off' THEN horizon * u_first
		   ELSE squeeze * (r.last_ago + spell2 + pause + spell1)
	   END AS first_ago,
	   CASE p.pattern
		   -- still buying: the last purchase was days or weeks ago
		   WHEN 'loyal' THEN least(-20 * ln(1 - u_last), horizon * (0.15 + 0.85 * u_first) * 0.5)
		   -- stopped between two months ago and soon after starting
		   WHEN 'fading' THEN 60 + (horizon * (0.30 + 0.70 * u_first) * 0.85 - 60) * u_last
		   WHEN 'one_off' THEN horizon * u_first
		   ELSE squeeze * r.last_ago
	   END AS last_ago,
	   squeeze * (r.last_ago + spell2 + pause) AS spell1_end_ago,
	   squeeze * (r.last_ago + spell2) AS spell2_start_ago,
	   CASE p.pattern
		   WHEN 'loyal' THEN 4 + floor(64 * u_count * u_count)::int
		   WHEN 'fading' THEN 3 + floor(20 * u_count)::int
		   WHEN 'one_off' THEN 1
		   ELSE 2 + floor(6 * u_count)::int
	   END AS orders1,
	   CASE WHEN p.pattern = 'returning' THEN 2 + floor(6 * u_count2)::int ELSE 0 END AS orders2,
	   -- gaps lengthen for fading buyers
	   CASE WHEN p.pattern = 'fading' THEN 2.2 ELSE 1 END::float8 AS spacing,
	   -- a typical basket around 40, a few high spenders at ten times that
	   exp(ln(40) + 0.5 * sqrt(-2 * ln(1 - u_basket1)) * cos(2 * pi() * u_basket2))
		   * CASE WHEN u_spender < 0.02 THEN 10 ELSE 1 END AS basket
FROM patterned p
LEFT JOIN comebacks_fit r USING (customer_id);

-- Buyers are busy people: no more than one order a week on average.
UPDATE customer_plan
SET orders1 = least(orders1, 1 + floor((first_ago - last_ago) / 7)::int)
WHERE pattern IN ('loyal', 'fading');
ALTER TABLE customer_plan ADD PRIMARY KEY (customer_id);
ANALYZE customer_plan;

-- Orders.  Each spell spreads its orders from its first to its last day:
-- evenly with some jitter for loyal and returning buyers, with lengthening
-- gaps for fading ones.  A refund follows its order by one to thirty days.
INSERT INTO demo.orders (order_id, customer_id, ordered_at, amount)
SELECT row_number() OVER (ORDER BY ordered_at, customer_id, amount),
	   customer_id, ordered_at, amount
FROM (
	SELECT customer_id,
		   CASE WHEN refund THEN at + refund_delay ELSE at END AS ordered_at,
		   CASE WHEN refund THEN -round(price * refund_share, 2) ELSE price END AS amount
	FROM (
		SELECT customer_id, at, price, refund_delay, refund_share,
			   refund_draw < 0.03 AND at + refund_delay < :'as_of'::timestamptz AS may_refund
		FROM (
			SELECT p.customer_id,
				   -- whole days before as_of, then a time of day between 7:00 and 24:00
				   to_timestamp(:as_of_epoch - ceil(spell_ago.value) * 86400
								+ 7 * 3600 + floor(17 * 3600 * random())) AS at,
				   -- prices end in .99 or .49
				   greatest(round(p.basket * exp(0.35 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))), 1)::int
					   - CASE WHEN random() < 0.7 THEN 0.01 ELSE 0.51 END AS price,
				   random() AS refund_draw,
				   make_interval(days => 1 + floor(30 * random())::int, secs => floor(3600 * random())) AS refund_delay,
				   CASE WHEN random() < 0.7 THEN 1 ELSE 0.5 END AS refund_share
			FROM customer_plan p
			CROSS JOIN LATERAL generate_series(0, p.orders1 + p.orders2 - 1) k
			CROSS JOIN LATERAL (
				SELECT CASE
					WHEN k < p.orders1 AND p.pattern <> 'returning' AND p.orders1 > 1 THEN
						p.first_ago - (p.first_ago - p.last_ago)
							* power(least(1, greatest(0, (k + CASE WHEN k = 0 OR k = p.orders1 - 1 THEN 0
														   ELSE 0.6 * (random() - 0.5) END) / (p.orders1 - 1))),
									p.spacing)
					WHEN k < p.orders1 AND p.pattern <> 'returning' THEN p.first_ago
					WHEN k < p.orders1 THEN
						p.first_ago - (p.first_ago - p.spell1_end_ago) * k / (p.orders1 - 1)
					ELSE
						p.spell2_start_ago - (p.spell2_start_ago - p.last_ago) * (k - p.orders1) / (p.orders2 - 1)
				END AS value
			) spell_ago
			-- draw every number once per order, before the rows are doubled below
			OFFSET 0
		) purchase
	) candidate
	CROSS JOIN LATERAL (VALUES (false), (true)) r(refund)
	WHERE NOT refund OR may_refund
) o;

\if :activities
-- Activities: mostly mail opens and web visits while customers buy, some
-- renewed interest among the silent, and the marks of those who left.
INSERT INTO demo.activities (customer_id, occurred_at, kind)
SELECT customer_id,
	   :'as_of'::timestamptz - (to_ago + (from_ago - to_ago) * random()) * interval '1 day',
	   kind
FROM (
	SELECT p.customer_id, a.kind, a.from_ago, a.to_ago, a.n
	FROM customer_plan p
	CROSS JOIN LATERAL (VALUES
		('mail_open', p.first_ago, 0::float8,
		 floor(random() * CASE p.pattern WHEN 'loyal' THEN 12 WHEN 'one_off' THEN 4 ELSE 7 END)),
		('web_visit', p.first_ago, p.last_ago,
		 floor(random() * CASE p.pattern WHEN 'loyal' THEN 10 ELSE 5 END)),
		('download', p.first_ago, p.last_ago, floor(random() * 1.25)),
		('inquiry', p.first_ago, p.last_ago, floor(random() * 1.12)),
		('meeting_positive', p.first_ago, 0, floor(random() * 1.006)),
		('meeting_negative', p.first_ago, p.last_ago, floor(random() * 1.004)),
		-- silent for half a year, yet looking again
		('web_visit', least(180, p.last_ago), 0,
		 CASE WHEN p.last_ago > 180 AND random() < 0.12 THEN 1 + floor(random() * 4) ELSE 0 END),
		('download', least(180, p.last_ago), 0,
		 CASE WHEN p.last_ago > 180 AND random() < 0.04 THEN 1 ELSE 0 END),
		('complaint', p.last_ago, greatest(0, p.last_ago - 20), floor(random() * 1.03)),
		-- an event kind the extension does not know
		('newsletter_click', p.first_ago, 0, floor(random() * 1.002))
	) a(kind, from_ago, to_ago, n)
	WHERE a.n > 0
	OFFSET 0
) wanted
CROSS JOIN LATERAL generate_series(1, wanted.n::int);
\endif

-- Customers.  What they told us about leaving follows their pattern: the
-- reason and the opt-out are rare among loyal buyers.
INSERT INTO demo.customers
SELECT customer_id,
	   given[1 + floor(random() * array_length(given, 1))::int] || ' '
		   || family[1 + floor(random() * array_length(family, 1))::int],
	   opted_out, 'b2c',
	   CASE WHEN reason_draw < CASE pattern WHEN 'loyal' THEN 0.02 ELSE 0.15 END
		   THEN (ARRAY['still_interested', 'still_interested', 'budget', 'budget', 'competitor',
					   'support', 'quality', 'discount_only', 'used_less', 'used_less'])
				[1 + floor(random() * 10)::int]
	   END,
	   round(power(random(), 0.7)::numeric, 3)::real,
	   -- the household's or business's fiscal year ends in March or December, mostly
	   CASE WHEN random() < 0.4 THEN 3 WHEN random() < 0.67 THEN 12 ELSE 1 + floor(random() * 12) END,
	   NOT opted_out AND random() < 0.85,
	   NOT opted_out AND random() < 0.30,
	   NOT opted_out AND random() < 0.60
FROM (
	SELECT customer_id, pattern,
		   random() < CASE pattern WHEN 'loyal' THEN 0.005 ELSE 0.04 END AS opted_out,
		   random() AS reason_draw,
		   ARRAY['Aiko', 'Akira', 'Ana', 'Ben', 'Chloe', 'Daniel', 'Elena', 'Emma', 'Felix', 'Hana',
				 'Haruto', 'Ines', 'Jonas', 'Julia', 'Kenji', 'Lea', 'Liam', 'Lucas', 'Maria', 'Mei',
				 'Mia', 'Noah', 'Olivia', 'Omar', 'Paul', 'Priya', 'Ren', 'Sara', 'Sofia', 'Yuki'] AS given,
		   ARRAY['Abe', 'Bauer', 'Brown', 'Costa', 'Dubois', 'Fischer', 'Garcia', 'Ito', 'Jensen', 'Kato',
				 'Kim', 'Kowalski', 'Lee', 'Martin', 'Meyer', 'Mori', 'Müller', 'Nakamura', 'Novak', 'Rossi',
				 'Sato', 'Schmidt', 'Silva', 'Smith', 'Suzuki', 'Tanaka', 'Wagner', 'Watanabe', 'Weber', 'Yamada'] AS family
	FROM customer_plan
	ORDER BY customer_id
	OFFSET 0
) c;

\if :activities
-- Those who left say so: a switch to a competitor or a cancellation after
-- the last purchase, a complaint around it.
INSERT INTO demo.activities (customer_id, occurred_at, kind)
SELECT c.customer_id,
	   :'as_of'::timestamptz - (p.last_ago * random()) * interval '1 day',
	   CASE WHEN c.reason = 'competitor' THEN 'competitor_switch'
			WHEN c.reason IN ('support', 'quality') THEN 'complaint'
			ELSE 'cancelled' END
FROM demo.customers c
JOIN customer_plan p USING (customer_id)
WHERE c.reason IN ('competitor', 'support', 'quality') OR (c.opted_out AND p.last_ago > 30)
ORDER BY c.customer_id;
\endif

-- Keys and indexes once the rows are in: building them whole is faster
-- than keeping them up to date row by row.
ALTER TABLE demo.customers ADD PRIMARY KEY (customer_id);
ALTER TABLE demo.orders ADD PRIMARY KEY (order_id);
CREATE INDEX ON demo.orders (customer_id);
CREATE INDEX ON demo.activities (customer_id);
ANALYZE demo.customers, demo.orders, demo.activities;
