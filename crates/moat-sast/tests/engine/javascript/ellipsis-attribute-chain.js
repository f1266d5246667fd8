function find(knex, name) {
  // ruleid: ellipsis-attribute-chain-knex-raw
  knex.whereRaw("name = '" + name + "'");
  // ruleid: ellipsis-attribute-chain-knex-raw
  knex("users").select("id").where("active", true).whereRaw("x = 1");
  // ok: ellipsis-attribute-chain-knex-raw
  whereRaw("x = 1");
  // ok: ellipsis-attribute-chain-knex-raw
  knex("users").where("name", name);
}

function show(html) {
  // ruleid: ellipsis-attribute-chain-document
  document.body.innerHTML = html;
  // ruleid: ellipsis-attribute-chain-document
  document.getElementById("out").firstChild.innerHTML = html;
  // ok: ellipsis-attribute-chain-document
  panel.body.innerHTML = html;
  // ok: ellipsis-attribute-chain-document
  document.body.textContent = html;
}
