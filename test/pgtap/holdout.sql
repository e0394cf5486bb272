-- The holdout draw: stable, uniform, and different per campaign.
BEGIN;
CREATE EXTENSION dormant;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(5);

SELECT is(dormant.holdout_draw('default', '1'), 0.17066352418623865::double precision,
		  'the draw of a known key is what it has always been (md5 of campaign and key)');
SELECT is(dormant.holdout_draw('spring 2027', 'C-00042'), 0.031144712818786502::double precision,
		  'and so is another');
SELECT cmp_ok(abs((SELECT count(*) FROM generate_series(1, 100000) i
				   WHERE dormant.holdout_draw('default', i::text) < 0.1) - 10000), '<', 380::bigint,
			  'a 10% holdout of 100,000 customers holds 10,000 within four standard deviations');
SELECT cmp_ok(abs((SELECT count(*) FROM generate_series(1, 100000) i
				   WHERE dormant.holdout_draw('default', i::text) < 0.1
					 AND dormant.holdout_draw('next', i::text) < 0.1) - 1000), '<', 130::bigint,
			  'a new campaign draws again, independently of the last');
SELECT is((SELECT count(*) FROM generate_series(1, 1000) i
			WHERE dormant.holdout_draw('x', i::text) <> dormant.holdout_draw('x', i::text)
			   OR NOT dormant.holdout_draw('x', i::text) >= 0 OR NOT dormant.holdout_draw('x', i::text) < 1),
		  0::bigint, 'draws are deterministic and within [0, 1)');

SELECT * FROM finish();
ROLLBACK;
