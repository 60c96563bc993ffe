"""request keys: a case and a history line remember the submission that made them (one-time tokens,
Idempotency-Key), so that the same request sent again changes nothing

Revision ID: 0014
Revises: 0013

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('request_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('request_digest', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_cases_applicant_request', ['applicant_id', 'request_key'], unique=True)
    with op.batch_alter_table('case_events') as batch_op:
        batch_op.add_column(sa.Column('request_key', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('case_events') as batch_op:
        batch_op.drop_column('request_key')
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_index('ix_cases_applicant_request')
        batch_op.drop_column('request_digest')
        batch_op.drop_column('request_key')
