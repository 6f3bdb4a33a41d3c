-- What investors see of the strategy, marked by the CTO as KPIs are: an objective (with its
-- initiatives' health and the KPIs of it that are marked themselves), and the investment mix.
ALTER TABLE objectives ADD COLUMN investor_visible INTEGER NOT NULL DEFAULT 0;
INSERT INTO settings (key, value) VALUES ('investors_see_mix', '0');
