"""call times: the time of day a call's period starts on its first day and ends on its last (an event's hours)

Revision ID: 0020
Revises: 0019

"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls') as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table('calls') as batch_op:
        batch_op.drop_column('ends_at')
        batch_op.drop_column('starts_at')
