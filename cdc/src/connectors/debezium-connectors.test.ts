import { parseMigrationConfig } from "@strangler/migration-config";
import { debeziumTopic } from "../kafka-source/debezium-cdc-stream";
import { connectorFileText, debeziumConnectors, debeziumTableFilter } from "./debezium-connectors";

const config = (reverse: boolean) =>
  parseMigrationConfig(
    `version: 1
legacy: { name: blog, url: "http://127.0.0.1:1", database: "postgresql://u@db:5432/blog%20db" }
unleash: { url: "http://127.0.0.1:2" }
cdc: { transport: debezium, kafka: { topicPrefix: acme } }
services:
  - name: blog-service
    url: "http://127.0.0.1:3"
    routes: {}
    data:
      database: "postgresql://u@db:5432/blog_service"
      reverse: ${reverse}
      tables:
        - { source: User, target: Person, key: { id: personId } }
        - { source: _PostToTag, target: sales.PostTag, key: { A: postId, B: tagId } }
        - { source: Comment, target: Comment }`,
    "blog.config.yaml",
    {},
  );

describe("Debezium connectors from the data section", () => {
  it("builds the forward connector: tables with case and schema, key columns, slot, publication, topic prefix", () => {
    const [forward] = debeziumConnectors(config(false));
    expect(forward).toMatchObject({
      service: "blog-service",
      kind: "forward",
      file: "blog-service.json",
      wanted: true,
    });
    expect(forward?.connector.name).toBe("strangler-blog-service");
    expect(forward?.connector.config).toMatchObject({
      "database.dbname": "blog db",
      "topic.prefix": "acme.blog",
      "table.include.list": "public\\.User,public\\._PostToTag,public\\.Comment",
      // Comment's key is its primary key (the config leaves it to the catalog): Debezium's default.
      "message.key.columns": "public\\.User:id;public\\._PostToTag:A,B",
      "slot.name": "strangler_dbz_blog_service",
      "publication.name": "strangler_dbz_blog_service",
      "replica.identity.autoset.values": "public\\.User:FULL,public\\._PostToTag:FULL,public\\.Comment:FULL",
      "snapshot.mode": "initial",
      "skipped.operations": "none",
    });
  });

  it("builds the reverse connector on the service side, wanted only with data.reverse", () => {
    const reverse = debeziumConnectors(config(false))[1];
    expect(reverse).toMatchObject({ kind: "reverse", file: "blog-service-reverse.json", wanted: false });
    expect(reverse?.connector.config).toMatchObject({
      "database.dbname": "blog_service",
      "topic.prefix": "acme.blog_service",
      "table.include.list": "public\\.Person,sales\\.PostTag,public\\.Comment",
      "message.key.columns": "public\\.Person:personId;sales\\.PostTag:postId,tagId",
      "slot.name": "strangler_dbz_blog_service_reverse",
      "snapshot.mode": "no_data",
    });
    expect(debeziumConnectors(config(true))[1]?.wanted).toBe(true);
  });

  it("matches a name literally, regular-expression characters and a dot inside the name included", () => {
    expect(debeziumTableFilter('"my.table"')).toBe("public\\.my\\.table");
    expect(debeziumTableFilter("sales.Order$1")).toBe("sales\\.Order\\$1");
  });

  it("writes a file as two-space JSON with a final newline", () => {
    expect(connectorFileText({ name: "n", config: { a: "b" } })).toBe(
      '{\n  "name": "n",\n  "config": {\n    "a": "b"\n  }\n}\n',
    );
  });

  it("names the topic Debezium writes a table to with schema and case, as the consumer subscribes to it", () => {
    expect(debeziumTopic("acme.blog", "User")).toBe("acme.blog.public.User");
    expect(debeziumTopic("acme.blog", "sales.PostTag")).toBe("acme.blog.sales.PostTag");
    expect(debeziumTopic("acme.blog", '"odd name"')).toBe("acme.blog.public.odd_name");
  });
});
