import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.settings import env


def test_bool_accepts_the_usual_spellings():
    for raw, expected in [("true", True), ("1", True), ("On", True), ("no", False), ("0", False)]:
        assert env.env_bool("FLAG", environ={"FLAG": raw}) is expected


def test_bool_unset_gives_the_default():
    assert env.env_bool("FLAG", True, environ={}) is True


def test_bad_bool_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be a boolean"):
        env.env_bool("DEBUG", environ={"DEBUG": "peut-être"})


def test_bad_int_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS must be an integer"):
        env.env_int("SECURE_HSTS_SECONDS", 0, environ={"SECURE_HSTS_SECONDS": "un an"})


def test_int_below_minimum_is_refused():
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("N", 0, minimum=0, environ={"N": "-3"})


def test_list_drops_blanks():
    assert env.env_list("HOSTS", environ={"HOSTS": "a.fr, ,b.fr,"}) == ["a.fr", "b.fr"]


def test_required_string_missing_is_an_error():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        env.env_str("SECRET_KEY", required=True, environ={})


def test_choice_outside_the_list_is_refused():
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND must be one of"):
        env.env_choice(
            "TASKS_BACKEND",
            {"immediate", "database"},
            "immediate",
            environ={"TASKS_BACKEND": "celery"},
        )


def test_database_url_unset_means_sqlite(tmp_path):
    config = env.env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3", environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_database_url_is_parsed():
    config = env.parse_database_url(
        "DATABASE_URL",
        "postgres://portail:s%40cret@db.example:5433/portail?sslmode=require&conn_max_age=60",
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("portail", "portail", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.example", "5433")
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mysql://root@localhost/portail", "must be a PostgreSQL URL"),
        ("postgres://localhost", "must name a database"),
        ("postgres://localhost:port/portail", "not a valid URL"),
        ("postgres://localhost/db?conn_max_age=forever", "non-integer conn_max_age"),
    ],
)
def test_malformed_database_url_names_the_variable(value, message):
    with pytest.raises(ImproperlyConfigured, match=f"DATABASE_URL.*{message}|{message}"):
        env.env_database("DATABASE_URL", sqlite_path="x", environ={"DATABASE_URL": value})


def test_redis_url_is_accepted():
    value = "redis://127.0.0.1:6379/2"
    assert env.env_redis_url("REDIS_URL", environ={"REDIS_URL": value}) == value


@pytest.mark.parametrize(
    "value", ["http://127.0.0.1:6379", "redis://127.0.0.1:port", "redis://host:6379/zero"]
)
def test_malformed_redis_url_names_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.env_redis_url("REDIS_URL", environ={"REDIS_URL": value})


def test_smtp_url_is_parsed():
    options = env.env_smtp(
        "EMAIL_URL", environ={"EMAIL_URL": "smtp://mairie:pa%2Fss@smtp.example:587?starttls=1"}
    )
    assert options["host"] == "smtp.example"
    assert options["port"] == 587
    assert (options["username"], options["password"]) == ("mairie", "pa/ss")
    assert options["use_tls"] is True and options["use_ssl"] is False


def test_malformed_smtp_url_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must be an SMTP URL"):
        env.env_smtp("EMAIL_URL", environ={"EMAIL_URL": "mail.example"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REDIS_URL", "http://:hunter2-secret@cache.example.fr:6379/0"),
        ("EMAIL_URL", "http://mailer:hunter2-secret@smtp.example.fr:587"),
    ],
)
def test_a_refused_url_is_shown_without_its_password(name, value):
    reader = {"REDIS_URL": env.env_redis_url, "EMAIL_URL": env.env_smtp}[name]
    with pytest.raises(ImproperlyConfigured, match=name) as refused:
        reader(name, environ={name: value})
    assert "hunter2-secret" not in str(refused.value)
    assert ":***@" in str(refused.value)


def test_an_integer_list_is_read_and_a_bad_item_names_the_variable():
    assert env.env_int_list("DELAYS", [60], environ={}) == [60]
    assert env.env_int_list("DELAYS", [60], environ={"DELAYS": "10, 20,"}) == [10, 20]
    with pytest.raises(ImproperlyConfigured, match="DELAYS must list integers"):
        env.env_int_list("DELAYS", environ={"DELAYS": "10,une minute"})
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int_list("DELAYS", minimum=0, environ={"DELAYS": "-1"})
