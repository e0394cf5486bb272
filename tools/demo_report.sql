-- The first report an analyst asks for, over the generated shop in schema
-- demo (tools/demo_data.sql):
--   1. customers and past net revenue by status and depth of dormancy
--   2. the 20 most valuable dormant customers
--   3. the top of the priority list
--
--   psql -v ON_ERROR_STOP=1 -f tools/demo_report.sql [-v as_of=2026-11-01]
--
-- It reads the live view dormant.customer_scores over the bound demo tables,
-- as of :as_of.

\if :{?as_of}
\else
\set as_of 2026-11-01
\endif

\pset footer off
\pset null ''

SET dormant.as_of = :'as_of';

\echo
\echo 'Policy b2c: at risk, dormant and lapsed after this long without a purchase;'
\echo 'high value from this past net revenue on'
SELECT at_risk_after, dormant_after, lapsed_after, loyal_silence, high_value_amount
FROM dormant.policy
WHERE name = 'b2c';

\echo
\echo '1. Customers and past net revenue by status and depth, as of' :as_of
\echo '   depth, for customers silent six months or more: high_value_silent (revenue'
\echo '   from high_value_amount on), loyal_defector (2+ purchase days, silent 12+'
\echo '   months), repeat_dormant (2+ purchase days), early_defector (one purchase day)'
WITH base AS (
	SELECT * FROM dormant.customer_scores WHERE purchases > 0
), totals AS (
	SELECT count(*) AS customers, sum(monetary) AS revenue FROM base
)
SELECT CASE WHEN grouping(c.status) = 1 THEN 'all' ELSE c.status::text END AS status,
	   c.depth,
	   count(*) AS customers,
	   round(100.0 * count(*) / min(t.customers), 1) AS "% customers",
	   round(sum(c.monetary)) AS revenue,
	   round(100.0 * sum(c.monetary) / min(t.revenue), 1) AS "% revenue",
	   round(avg(c.purchase_days), 1) AS "purchase days",
	   round(avg(c.recency_days)) AS "days silent"
FROM base c, totals t
GROUP BY GROUPING SETS ((c.status, c.depth), ())
-- statuses in their lifecycle order, depths from the most valuable
ORDER BY grouping(c.status), c.status,
		 array_position(ARRAY['high_value_silent', 'loyal_defector', 'repeat_dormant', 'early_defector'], c.depth);
\echo '   (revenue: net of refunds; purchase days and days silent: averages;'
\echo '   churned: opted out, or a cancellation or complaint last)'

\echo
\echo '2. The 20 most valuable dormant customers: status dormant or lapsed (no'
\echo '   purchase for six months or more), not churned, by past net revenue'
SELECT s.customer_id, c.name, s.status, s.last_at::date AS last_purchase, s.purchase_days,
	   s.monetary AS revenue, s.depth, s.tier, round(s.score::numeric, 1) AS score
FROM dormant.customer_scores s
JOIN demo.customers c ON c.customer_id::text = s.customer_id
WHERE s.status IN ('dormant', 'lapsed')
ORDER BY s.monetary DESC NULLS LAST, s.customer_id
LIMIT 20;

\echo
\echo '3. Whom to call first: the top of the priority list, with the approach'
SELECT p.customer_id, c.name, p.tier, round(p.score::numeric, 1) AS score, p.status, p.reason, p.approach
FROM dormant.priority_list p
JOIN demo.customers c ON c.customer_id::text = p.customer_id
LIMIT 10;
