"""hostel rooms: rooms of 4 places as reference data, the room a hostel place is in, and the case of another
type a case goes with (a hostel request's admission)

Revision ID: 0019
Revises: 0018

"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rooms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('building', sa.String(length=200), nullable=False),
        sa.Column('number', sa.String(length=50), nullable=False),
        sa.Column('places', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('building', 'number'),
    )
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('room_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_cases_room_id_rooms', 'rooms', ['room_id'], ['id'])
        batch_op.create_index('ix_cases_room_state', ['room_id', 'state'])
        batch_op.add_column(sa.Column('linked_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_cases_linked_id_cases', 'cases', ['linked_id'], ['id'])
        batch_op.create_index('ix_cases_linked_id', ['linked_id'])


def downgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_index('ix_cases_linked_id')
        batch_op.drop_constraint('fk_cases_linked_id_cases', type_='foreignkey')
        batch_op.drop_column('linked_id')
        batch_op.drop_index('ix_cases_room_state')
        batch_op.drop_constraint('fk_cases_room_id_rooms', type_='foreignkey')
        batch_op.drop_column('room_id')
    op.drop_table('rooms')
