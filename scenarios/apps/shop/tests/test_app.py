import pytest
from app import app


@pytest.fixture
def client():
    app.config.update(TESTING=True)
    return app.test_client()


def test_index_lists_products(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Whale mug" in response.data
    assert b"$12.00" in response.data


def test_product_api(client):
    assert len(client.get("/api/products").get_json()) == 3
    assert client.get("/api/products/2").get_json()["name"] == "Container sticker pack"


def test_unknown_product_is_404(client):
    assert client.get("/api/products/99").status_code == 404


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
