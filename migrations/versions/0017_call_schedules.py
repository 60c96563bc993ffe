"""call schedules: a call's period (an event's days, the days its stays must fall in), place and contact

Revision ID: 0017
Revises: 0016

"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls') as batch_op:
        batch_op.add_column(sa.Column('first_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('last_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('place', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('calls') as batch_op:
        for name in ('contact', 'place', 'last_day', 'first_day'):
            batch_op.drop_column(name)
