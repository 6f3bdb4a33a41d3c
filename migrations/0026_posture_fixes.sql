-- Each kept month's fixes of findings by severity (`assurance::service::figures::FixTally` x 4,
-- critical first, as JSON), so the posture's mean time to fix adds up twelve months without
-- reading a year of fixes each time. Months kept before this have none yet; the posture works
-- theirs out the next time it reads them.
ALTER TABLE posture_months ADD COLUMN fixes TEXT;
