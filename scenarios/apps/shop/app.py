"""A tiny shop: one HTML page and a small JSON API.

Run it locally with ``flask --app app run``; the image serves it with gunicorn.
"""

from flask import Flask, abort, jsonify, render_template

PRODUCTS = [
    {"id": 1, "name": "Whale mug", "price_cents": 1200},
    {"id": 2, "name": "Container sticker pack", "price_cents": 450},
    {"id": 3, "name": "Layer cake cookbook", "price_cents": 2500},
]

app = Flask(__name__)


@app.template_filter("money")
def money(cents: int) -> str:
    return f"${cents / 100:.2f}"


@app.get("/")
def index():
    return render_template("index.html", products=PRODUCTS)


@app.get("/api/products")
def list_products():
    return jsonify(PRODUCTS)


@app.get("/api/products/<int:product_id>")
def get_product(product_id: int):
    for product in PRODUCTS:
        if product["id"] == product_id:
            return jsonify(product)
    abort(404)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
