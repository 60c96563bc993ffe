"""languages: each user's saved language, each message's language, faculties' and calls' texts per language

Revision ID: 0010
Revises: 0009

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


# The seeded faculties' names in Russian and Kyrgyz (caseflow/reference_data.py has the same, for new databases).
SEEDED = {
    "IT": {"ru": "Факультет информационных технологий", "ky": "Маалыматтык технологиялар факультети"},
    "EN": {"ru": "Энергетический факультет", "ky": "Энергетика факультети"},
    "TECH": {"ru": "Технологический факультет", "ky": "Технология факультети"},
    "TRANS": {"ru": "Факультет транспорта и машиностроения", "ky": "Транспорт жана машина куруу факультети"},
    "MMI": {"ru": "Горно-металлургический институт", "ky": "Тоо-кен металлургия институту"},
    "ECON": {"ru": "Институт экономики и менеджмента", "ky": "Экономика жана менеджмент институту"},
    "KGTI": {"ru": "Кыргызско-Германский технический институт", "ky": "Кыргыз-Герман техникалык институту"},
}


def upgrade():
    with op.batch_alter_table('faculties') as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=False, server_default='{}'))
    faculties = sa.table('faculties', sa.column('code', sa.String), sa.column('name', sa.String),
                         sa.column('names', sa.JSON))
    connection = op.get_bind()
    for code, name in connection.execute(sa.select(faculties.c.code, faculties.c.name)).all():
        # Each faculty's name was written in English until now; the seeded ones get their translations.
        connection.execute(faculties.update().where(faculties.c.code == code)
                           .values(names={"en": name, **SEEDED.get(code, {})}))
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
    # The calls so far were written in English.
    with op.batch_alter_table('calls') as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False, server_default='{}'))
    # Messages queued before languages existed were written in English.
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=False, server_default='en'))


def downgrade():
    with op.batch_alter_table('calls') as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('language')
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.drop_column('locale')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('locale')
    with op.batch_alter_table('faculties') as batch_op:
        batch_op.drop_column('names')
