"""case subjects: whom a case is about (its workflow's [subject]), copied from its form, besides the account
that submitted it; the existing cases get theirs from their forms

Revision ID: 0015
Revises: 0014

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('subject_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('subject_key', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('subject_email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('subject_birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('subject_passport', sa.String(length=40), nullable=True))
        batch_op.create_foreign_key('fk_cases_subject_id_users', 'users', ['subject_id'], ['id'])
        batch_op.create_index('ix_cases_subject_id', ['subject_id'])
        batch_op.create_index('ix_cases_type_passport', ['type', 'subject_passport'])
        batch_op.create_index('ix_cases_type_person', ['type', 'subject_key', 'subject_birth_date'])
    _fill_subjects()


def _fill_subjects():
    # The workflow files as they are now say which fields name each type's subject: the same function
    # that fills a new case's columns fills the old ones.
    from caseflow.cases.subject import subject_columns
    from caseflow.catalog import catalog
    from caseflow.models.accounts import User

    connection = op.get_bind()
    session = Session(bind=connection)
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('type', sa.String),
                     sa.column('data', sa.JSON), sa.column('applicant_id', sa.Integer),
                     *(sa.column(name) for name in ('subject_id', 'subject_name', 'subject_key', 'subject_email',
                                                    'subject_birth_date', 'subject_passport')))
    accounts = {user.id: user for user in session.scalars(sa.select(User))}
    for row in connection.execute(sa.select(cases.c.id, cases.c.type, cases.c.data, cases.c.applicant_id)).all():
        workflow = catalog().get(row.type)
        if workflow is None:
            continue
        values = subject_columns(session, workflow, row.data or {}, accounts[row.applicant_id])
        connection.execute(cases.update().where(cases.c.id == row.id).values(**values))
    session.close()


def downgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_index('ix_cases_type_person')
        batch_op.drop_index('ix_cases_type_passport')
        batch_op.drop_index('ix_cases_subject_id')
        batch_op.drop_constraint('fk_cases_subject_id_users', type_='foreignkey')
        for name in ('subject_passport', 'subject_birth_date', 'subject_email', 'subject_key', 'subject_name',
                     'subject_id'):
            batch_op.drop_column(name)
