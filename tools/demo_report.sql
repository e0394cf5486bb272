-- The first report an analyst asks for, over the generated shop in schema
-- demo (tools/demo_data.sql):
--   1. customers and past net revenue by status and depth of dormancy
--   2. the 20 most valuable dormant customers still open to contact
--
--   psql -v ON_ERROR_STOP=1 -f tools/demo_report.sql [-v as_of=2026-11-01]
--
-- Statuses and depths come from dormant.classify and dormant.depth under each
-- customer's policy.  Customers who opted out of contact are shown as
-- churned: classify() reads purchases only, and an opt-out overrides them.

\if :{?as_of}
\else
\set as_of 2026-11-01
\endif

\pset footer off
\pset null ''

-- One summary per customer, from the orders before as_of.
CREATE TEMPORARY TABLE customer_summary AS
SELECT c.customer_id, c.name, c.opted_out, s.summary,
	   CASE WHEN c.opted_out THEN 'churned'::dormant.status
			ELSE dormant.classify(s.summary, :'as_of', c.policy) END AS status,
	   CASE WHEN NOT c.opted_out THEN dormant.depth(s.summary, :'as_of', c.policy) END AS depth
FROM demo.customers c
JOIN (SELECT customer_id, dormant.rfm_agg(ordered_at, amount) AS summary
	  FROM demo.orders
	  WHERE ordered_at < :'as_of'
	  GROUP BY customer_id) s USING (customer_id);

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
WITH totals AS (
	SELECT count(*) AS customers, sum((summary).monetary) AS revenue
	FROM customer_summary
)
SELECT CASE WHEN grouping(c.status) = 1 THEN 'all' ELSE c.status::text END AS status,
	   c.depth,
	   count(*) AS customers,
	   round(100.0 * count(*) / min(t.customers), 1) AS "% customers",
	   round(sum((summary).monetary)) AS revenue,
	   round(100.0 * sum((summary).monetary) / min(t.revenue), 1) AS "% revenue",
	   round(avg((summary).purchase_days), 1) AS "purchase days",
	   round(avg(extract(epoch FROM :'as_of'::timestamptz - (summary).last_at) / 86400)) AS "days silent"
FROM customer_summary c, totals t
GROUP BY GROUPING SETS ((c.status, c.depth), ())
-- statuses in their lifecycle order, depths from the most valuable
ORDER BY grouping(c.status), c.status,
		 array_position(ARRAY['high_value_silent', 'loyal_defector', 'repeat_dormant', 'early_defector'], c.depth);
\echo '   (revenue: net of refunds; purchase days and days silent: averages)'

\echo
\echo '2. The 20 most valuable dormant customers: status dormant or lapsed (no'
\echo '   purchase for six months or more), open to contact, by past net revenue'
SELECT customer_id, name, status, (summary).last_at::date AS last_purchase,
	   (summary).purchases, (summary).purchase_days, (summary).monetary AS revenue, depth
FROM customer_summary
WHERE status IN ('dormant', 'lapsed') AND NOT opted_out
ORDER BY (summary).monetary DESC NULLS LAST, customer_id
LIMIT 20;
