"""reserve lists: a call may let applicants choose a partner with no seat left, as reserves

Revision ID: 0018
Revises: 0017

"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls') as batch_op:
        batch_op.add_column(sa.Column('reserve_list', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('calls') as batch_op:
        batch_op.drop_column('reserve_list')
