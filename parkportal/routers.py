"""The database router of a deployment with a read replica (DATABASE_REPLICA_URL).

Settings install it only when a replica is configured. Reads go to the replica inside
parkportal.replica.replica_reads() (the dashboard's and the reports' views), everything
else to the primary; writes always go to the primary, and only the primary is migrated
(the replica copies it).
"""

from .replica import replica_reads_wanted

PRIMARY = "default"
REPLICA = "replica"


class ReplicaRouter:
    """Send the reads of views marked @reads_from_replica to the replica."""

    def db_for_read(self, model, **hints):
        return REPLICA if replica_reads_wanted() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from either may refer to
        # one read from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
