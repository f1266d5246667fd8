import React from "react";
import DOMPurify from "dompurify";

export function Comment({ comment }) {
  // ruleid: javascript.react.dangerously-set-inner-html
  return <div className="comment" dangerouslySetInnerHTML={{ __html: comment.body }} />;
}

export function Preview(props) {
  // ruleid: javascript.react.dangerously-set-inner-html
  return React.createElement("div", { dangerouslySetInnerHTML: { __html: props.markdownHtml } });
}

export function Sanitized({ html }) {
  // ok: javascript.react.dangerously-set-inner-html
  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;
}

export function StaticIcon() {
  // ok: javascript.react.dangerously-set-inner-html
  return <i dangerouslySetInnerHTML={{ __html: "&hearts;" }} />;
}

export function Text({ comment }) {
  // ok: javascript.react.dangerously-set-inner-html
  return <p title={comment.title}>{comment.body}</p>;
}
