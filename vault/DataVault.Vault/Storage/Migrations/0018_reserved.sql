-- Number 18 is kept for a migration written alongside this one; it changes nothing.
SELECT 1;
